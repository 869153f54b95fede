import { cloneErrorTexts, cloneTexts } from './clone.ts';
import { commonTexts } from './common.ts';
import { convertErrorTexts, convertTexts } from './convert.ts';
import { dmxapiErrorTexts } from './dmxapi.ts';
import { errorTexts } from './errors.ts';
import { historyTexts } from './history.ts';
import { speechErrorTexts, speechTexts } from './speech.ts';
import { uploadTexts } from './upload.ts';
import { voiceTexts } from './voices.ts';

/**
 * The English catalogue, composed from one file per area. It is the reference: `Catalogue` is its
 * type, so every other language must have each of its texts (a missing one fails type checking).
 * A new area adds a file here and in every other language's folder, and spreads it in below
 * (its failures into `errors`).
 */
export const enUS = {
  ...commonTexts,
  ...uploadTexts,
  ...historyTexts,
  ...voiceTexts,
  ...cloneTexts,
  ...speechTexts,
  convert: convertTexts,
  errors: {
    ...errorTexts,
    ...dmxapiErrorTexts,
    ...cloneErrorTexts,
    ...speechErrorTexts,
    ...convertErrorTexts,
  },
};

export type Catalogue = typeof enUS;
