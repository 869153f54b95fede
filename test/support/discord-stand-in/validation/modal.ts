/** Checks the modal a bot opens (callback type 9) against Discord's limits. */
import { ComponentType } from 'discord-api-types/v10';
import type { APIModalInteractionResponseCallbackData } from 'discord-api-types/v10';
import { walkComponents } from '../components.ts';
import { asRecord, codePoints } from '../narrow.ts';
import { maxLength, type FormErrors } from './form-errors.ts';

const INPUT_TYPES: readonly unknown[] = [ComponentType.TextInput, ComponentType.StringSelect];

export function readModal(raw: unknown, errors: FormErrors): APIModalInteractionResponseCallbackData {
  const modal = asRecord(raw);
  if (modal === undefined) {
    errors.add(['data'], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return { custom_id: '', title: '', components: [] };
  }
  for (const [field, max] of [
    ['custom_id', 100],
    ['title', 45],
  ] as const) {
    const value = modal[field];
    if (typeof value !== 'string' || codePoints(value) < 1) {
      errors.add(['data', field], 'BASE_TYPE_REQUIRED', 'This field is required');
    }
    maxLength(errors, ['data', field], value, max);
  }
  const { components } = modal;
  if (!Array.isArray(components) || components.length < 1 || components.length > 5) {
    errors.add(['data', 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
    return modal as unknown as APIModalInteractionResponseCallbackData;
  }
  const customIds = new Set<string>();
  walkComponents(components).forEach((component) => {
    if (!INPUT_TYPES.includes(component.type)) return;
    const customId = component.custom_id;
    if (typeof customId !== 'string' || customId === '' || customIds.has(customId)) {
      errors.add(
        ['data', 'components'],
        'COMPONENT_CUSTOM_ID_DUPLICATED',
        'Component custom id is invalid or a duplicate',
      );
    } else customIds.add(customId);
    for (const field of ['min_length', 'max_length']) {
      const value = component[field];
      if (value !== undefined && (typeof value !== 'number' || value < 0 || value > 4000)) {
        errors.add(['data', 'components'], 'BASE_TYPE_BAD_INT', `${field} must be between 0 and 4000.`);
      }
    }
  });
  // Used only when no error was added.
  return modal as unknown as APIModalInteractionResponseCallbackData;
}
