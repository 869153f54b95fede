import { enUS, type Catalogue } from './en-US.ts';

export type { Catalogue, ErrorText } from './en-US.ts';

const catalogues: Readonly<Record<string, Catalogue>> = { 'en-US': enUS };

/** The catalogue for a Discord locale, falling back to English. */
export function catalogueFor(locale: string | undefined): Catalogue {
  return (locale && catalogues[locale]) || enUS;
}
