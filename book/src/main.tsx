import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call, prefetch, toError, type Location, type PageError, type Shop } from './api';
import { BookingFlow, type Offer } from './flow';
import { Manage } from './manage';
import { addressLine } from './format';
import { Alert, Loading, StepHeading } from './ui';
import './styles.css';

/** `/book/<org>[/<location>]`, and the manage view at `/book/<org>#manage=<token>`. */
function route() {
  const [, , org = '', loc] = location.pathname.replace(/\/+$/, '').split('/').map(decodeURIComponent);
  const token = /(?:^#|&)manage=([A-Za-z0-9_-]+)/.exec(location.hash)?.[1];
  return { org, loc, token };
}

function App() {
  const [where, setWhere] = useState(route);
  useEffect(() => {
    const update = () => setWhere(route());
    addEventListener('popstate', update);
    addEventListener('hashchange', update);
    return () => { removeEventListener('popstate', update); removeEventListener('hashchange', update); };
  }, []);
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <main id="main" tabIndex={-1}>
        {where.token ? <Manage token={where.token} /> : where.loc ? <LocationPage org={where.org} loc={where.loc} /> : <ShopPage org={where.org} />}
      </main>
      <footer><p>Online booking by Setora</p></footer>
    </>
  );
}

function Header({ shop, location: loc }: { shop: Shop; location?: Location }) {
  useEffect(() => { document.title = `Book online · ${loc ? loc.name : shop.name}`; }, [shop, loc]);
  return (
    <header class="shop">
      <h1>{loc ? loc.name : shop.name}</h1>
      {loc && <p class="muted">{addressLine(loc.address)}{loc.phone && <> · <a href={`tel:${loc.phone}`}>{loc.phone}</a></>}</p>}
      {loc?.message && <p class="shop-message">{loc.message}</p>}
    </header>
  );
}

function Problem({ error }: { error: PageError }) {
  return <section><StepHeading>{error.status === 404 ? 'Online booking is not available here' : 'Something went wrong'}</StepHeading><Alert error={error} /></section>;
}

/** `/book/<org>`: the shop's locations (skipped when it has one). */
function ShopPage({ org }: { org: string }) {
  const [data, setData] = useState<{ shop: Shop; locations: Location[] } | null>(null);
  const [error, setError] = useState<PageError | null>(null);
  useEffect(() => {
    call<{ shop: Shop; locations: Location[] }>(`/shops/${encodeURIComponent(org)}`).then((d) => {
      if (d.locations.length === 1) {
        history.replaceState(null, '', `/book/${encodeURIComponent(org)}/${encodeURIComponent(d.locations[0]!.slug)}${location.search}`);
        dispatchEvent(new PopStateEvent('popstate'));
      } else setData(d);
    }, (e) => setError(toError(e)));
  }, [org]);
  if (error) return <Problem error={error} />;
  if (!data) return <Loading />;
  return (
    <>
      <Header shop={data.shop} />
      <section>
        <StepHeading>Choose a location</StepHeading>
        <ul class="choices">
          {data.locations.map((l) => (
            <li key={l.slug}>
              <a class="choice" href={`/book/${encodeURIComponent(org)}/${encodeURIComponent(l.slug)}`} onClick={(e) => {
                e.preventDefault();
                history.pushState(null, '', `/book/${encodeURIComponent(org)}/${encodeURIComponent(l.slug)}`);
                dispatchEvent(new PopStateEvent('popstate'));
              }}>
                <span class="choice-name">{l.name}</span><span class="choice-meta">{addressLine(l.address)}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function LocationPage({ org, loc }: { org: string; loc: string }) {
  const [offer, setOffer] = useState<Offer | null>(null);
  const [error, setError] = useState<PageError | null>(null);
  useEffect(() => {
    setOffer(null);
    call<Offer>(`/shops/${encodeURIComponent(org)}/locations/${encodeURIComponent(loc)}`).then(setOffer, (e) => setError(toError(e)));
  }, [org, loc]);
  if (error) return <Problem error={error} />;
  if (!offer) return <Loading />;
  return <><Header shop={offer.shop} location={offer.location} /><BookingFlow offer={offer} /></>;
}

// Opened at a service (a "Book now" link for it): ask for the shop and its free times at once, not one after the other.
const start = route();
const query = new URLSearchParams(location.search);
if (start.loc && !start.token) {
  const base = `/shops/${encodeURIComponent(start.org)}/locations/${encodeURIComponent(start.loc)}`;
  prefetch(base);
  const service = query.get('service');
  const staff = query.get('staff');
  if (service && staff) prefetch(`${base}/availability?service=${service}${staff !== 'any' ? `&staff=${staff}` : ''}`);
}

render(<App />, document.getElementById('root')!);
