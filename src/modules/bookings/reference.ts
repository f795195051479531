/** References are shown as `K7QX-2M4P`; accept them typed in lower case or without the dash. */
export function normaliseReference(input: string): string {
  const raw = input.trim().toUpperCase().replace(/[-\s]/g, '');
  return raw.length === 8 ? `${raw.slice(0, 4)}-${raw.slice(4)}` : input;
}
