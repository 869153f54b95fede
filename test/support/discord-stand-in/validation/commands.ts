/** Checks a bulk overwrite of application commands the way Discord does, so registration bugs fail in tests. */
import { ApplicationCommandType } from 'discord-api-types/v10';
import { asRecord, codePoints, enumValue, isLocale } from '../narrow.ts';
import { FormErrors, type FieldPath } from './form-errors.ts';

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

export function validateCommands(body: unknown): FormErrors {
  const errors = new FormErrors();
  if (!Array.isArray(body)) {
    errors.add([], 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
    return errors;
  }
  if (body.length > 100) errors.add([], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
  const seen = new Set<string>();
  body.forEach((raw, index) => {
    const command = asRecord(raw);
    if (command === undefined) {
      errors.add([index], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
      return;
    }
    const type =
      command.type === undefined
        ? ApplicationCommandType.ChatInput
        : enumValue(ApplicationCommandType, command.type);
    if (type === undefined) {
      errors.add(
        [index, 'type'],
        'ENUM_TYPE_COERCE',
        `Value "${String(command.type)}" is not a valid enum value.`,
      );
      return;
    }
    const chatInput = type === ApplicationCommandType.ChatInput;
    validateNamed(command, errors, [index], { lowercase: chatInput, needsDescription: chatInput });
    const key = `${type}:${String(command.name)}`;
    if (seen.has(key)) {
      errors.add(
        [index, 'name'],
        'APPLICATION_COMMANDS_DUPLICATE_NAME',
        'Application command names must be unique',
      );
    }
    seen.add(key);
    if (!chatInput && typeof command.description === 'string' && command.description !== '') {
      errors.add(
        [index, 'description'],
        'APPLICATION_COMMAND_DESCRIPTION_INVALID',
        'Context menu commands cannot have a description',
      );
    }
    validateOptions(command.options, errors, [index, 'options']);
  });
  return errors;
}

function validateOptions(raw: unknown, errors: FormErrors, at: FieldPath): void {
  if (raw === undefined || raw === null) return;
  if (!Array.isArray(raw)) {
    errors.add(at, 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
    return;
  }
  if (raw.length > 25) errors.add(at, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  const names = new Set<string>();
  let optionalSeen = false;
  raw.forEach((entry, index) => {
    const option = asRecord(entry);
    if (option === undefined) {
      errors.add([...at, index], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
      return;
    }
    validateNamed(option, errors, [...at, index], { lowercase: true, needsDescription: true });
    const name = String(option.name);
    if (names.has(name)) {
      errors.add(
        [...at, index, 'name'],
        'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
        `Option name ${name} is already used in these options`,
      );
    }
    names.add(name);
    if (option.required === true && optionalSeen) {
      errors.add(
        [...at, index, 'required'],
        'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        'Required options must be placed before non-required options',
      );
    }
    if (option.required !== true) optionalSeen = true;
    if (Array.isArray(option.choices) && option.choices.length > 25) {
      errors.add([...at, index, 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    }
    validateOptions(option.options, errors, [...at, index, 'options']);
  });
}

function validateNamed(
  item: Record<string, unknown>,
  errors: FormErrors,
  at: FieldPath,
  rules: { lowercase: boolean; needsDescription: boolean },
): void {
  const checkName = (value: unknown, path: (string | number)[]): void => {
    const valid =
      typeof value === 'string' &&
      (rules.lowercase
        ? COMMAND_NAME.test(value) && value === value.toLowerCase()
        : value.length >= 1 && value.length <= 32);
    if (!valid) errors.add(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  };
  const checkDescription = (value: unknown, path: (string | number)[]): void => {
    if (typeof value !== 'string' || codePoints(value) < 1 || codePoints(value) > 100) {
      errors.add(path, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
  };
  checkName(item.name, [...at, 'name']);
  if (rules.needsDescription) checkDescription(item.description, [...at, 'description']);
  for (const [field, check] of [
    ['name_localizations', checkName],
    ['description_localizations', checkDescription],
  ] as const) {
    const localizations = asRecord(item[field]);
    if (localizations === undefined) continue;
    if (field === 'description_localizations' && !rules.needsDescription) continue;
    for (const [locale, value] of Object.entries(localizations)) {
      if (!isLocale(locale))
        errors.add([...at, field, locale], 'LOCALE_INVALID', `"${locale}" is not a valid locale`);
      else check(value, [...at, field, locale]);
    }
  }
}
