/** Shop setup: locations and closures, services, staff with hours and time off. */
import { del, get, patch, post } from '../api';
import type { z } from 'zod';
import type * as S from '../../../src/modules/hub/setup.schemas.js';
import type { List, Location, Service, Staff } from '../types';

/** Request bodies, as the server's schemas take them (type-only: nothing of the server is bundled). */
export type LocationInput = z.input<typeof S.CreateLocationBody>;
export type ServiceInput = z.input<typeof S.CreateServiceBody>;
export type StaffInput = z.input<typeof S.CreateStaffBody>;
export type ExceptionInput = z.input<typeof S.ExceptionBody>;
export type ClosureInput = z.input<typeof S.ClosureBody>;

export const listLocations = () => get<List<Location>>('/locations');
export const saveLocation = (id: string | undefined, body: LocationInput) => (id ? patch<Location>(`/locations/${id}`, body) : post<Location>('/locations', body));
export const addClosure = (locationId: string, body: ClosureInput) => post<Location>(`/locations/${locationId}/closures`, body);
export const removeClosure = (locationId: string, id: string) => del<Location>(`/locations/${locationId}/closures/${id}`);

export const listServices = () => get<List<Service>>('/services');
export const saveService = (id: string | undefined, body: ServiceInput) => (id ? patch<Service>(`/services/${id}`, body) : post<Service>('/services', body));

export const listStaff = () => get<List<Staff>>('/staff');
export const saveStaff = (id: string | undefined, body: StaffInput) => (id ? patch<Staff>(`/staff/${id}`, body) : post<Staff>('/staff', body));
export const addException = (staffId: string, body: ExceptionInput) => post<Staff>(`/staff/${staffId}/exceptions`, body);
export const removeException = (staffId: string, id: string) => del<Staff>(`/staff/${staffId}/exceptions/${id}`);
