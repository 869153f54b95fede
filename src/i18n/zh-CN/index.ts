import type { Catalogue } from '../en-US/index.ts';
import { cloneErrorTexts, cloneTexts } from './clone.ts';
import { commonTexts } from './common.ts';
import { convertErrorTexts, convertTexts } from './convert.ts';
import { dmxapiErrorTexts } from './dmxapi.ts';
import { errorTexts } from './errors.ts';
import { historyTexts } from './history.ts';
import { speechErrorTexts, speechTexts } from './speech.ts';
import { uploadTexts } from './upload.ts';
import { voiceTexts } from './voices.ts';

/** Simplified Chinese, area by area; each area is typed by its English counterpart. */
export const zhCN: Catalogue = {
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
