import { Link } from '../router';
import { LocationsSettings } from './settings-locations';
import { ServicesSettings } from './settings-services';
import { StaffSettings } from './settings-staff';
import { TeamSettings } from './settings-team';
import { DeveloperSettings } from './settings-developer';
import { OnlineSettings } from './settings-online';
import { MessagesSettings } from './settings-messages';

const TABS: [string, string][] = [['locations', 'Locations'], ['services', 'Services'], ['staff', 'Staff'], ['team', 'Team'], ['online', 'Online booking'], ['messages', 'Messages'], ['developer', 'Developer']];

/** Settings (owners and admins; the server refuses the rest with 403). */
export function SettingsPage({ tab }: { tab: string }) {
  const Page = { locations: LocationsSettings, services: ServicesSettings, staff: StaffSettings, team: TeamSettings, online: OnlineSettings, messages: MessagesSettings, developer: DeveloperSettings }[tab];
  return (
    <main>
      <nav className="tabs" aria-label="Settings">
        <ul>
          {TABS.map(([id, label]) => <li key={id}><Link to={`/settings/${id}`} aria-current={id === tab ? 'page' : undefined}>{label}</Link></li>)}
        </ul>
      </nav>
      {Page ? <Page /> : <p>No such settings page.</p>}
    </main>
  );
}
