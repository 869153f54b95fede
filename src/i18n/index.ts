import { enUS, type Catalogue } from './en-US/index.ts';
import { zhCN } from './zh-CN/index.ts';

export type { Catalogue } from './en-US/index.ts';
export type { ErrorText } from './error-text.ts';

/** Keyed by Discord's locale strings (`Locale` in discord.js); Simplified Chinese is exactly `zh-CN`. */
const catalogues: Readonly<Record<string, Catalogue>> = { 'en-US': enUS, 'zh-CN': zhCN };

/** The catalogue for a Discord locale, falling back to English. */
export function catalogueFor(locale: string | undefined): Catalogue {
  return (locale !== undefined && Object.hasOwn(catalogues, locale) && catalogues[locale]) || enUS;
}
