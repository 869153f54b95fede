/**
 * Reading the components the bot sent: finding a button or menu on a message, Discord's numbering, and
 * filling in a modal the way a user would.
 */
import { ComponentType } from 'discord-api-types/v10';
import type {
  APIMessage,
  APIModalInteractionResponseCallbackData,
  APIModalSubmissionComponent,
  APIModalSubmitTextInputComponent,
  ModalSubmitComponent,
} from 'discord-api-types/v10';
import { asRecord, codePoints } from './narrow.ts';
import type { ModalValues } from './types.ts';

/** How many options (subcommands included) are marked focused: an autocomplete has exactly one. */
export function countFocused(options: readonly unknown[] | undefined): number {
  let count = 0;
  for (const raw of options ?? []) {
    const option = asRecord(raw);
    if (option?.focused === true) count += 1;
    if (Array.isArray(option?.options)) count += countFocused(option.options);
  }
  return count;
}

/** Every component, depth first: rows and containers, their children, section accessories, label inputs. */
export function walkComponents(components: readonly unknown[]): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const visit = (raw: unknown): void => {
    const component = asRecord(raw);
    if (component === undefined) return;
    found.push(component);
    if (Array.isArray(component.components)) component.components.forEach(visit);
    if (component.accessory !== undefined) visit(component.accessory);
    // A label in a modal holds one input.
    if (component.component !== undefined) visit(component.component);
  };
  components.forEach(visit);
  return found;
}

export function findComponent(
  components: readonly unknown[],
  customId: string,
): Record<string, unknown> | undefined {
  return walkComponents(components).find((component) => component.custom_id === customId);
}

export function componentCustomIds(components: readonly unknown[]): string[] {
  return walkComponents(components).flatMap((component) =>
    typeof component.custom_id === 'string' ? [component.custom_id] : [],
  );
}

/** Discord only sends values a user could pick: options of the menu, between min_values and max_values. */
export function checkSelectValues(
  component: Record<string, unknown>,
  customId: string,
  values: string[],
): void {
  const min = typeof component.min_values === 'number' ? component.min_values : 1;
  const max = typeof component.max_values === 'number' ? component.max_values : 1;
  if (values.length < min || values.length > max) {
    throw new Error(`select menu "${customId}" takes ${min} to ${max} value(s), not ${values.length}`);
  }
  const offered = (Array.isArray(component.options) ? component.options : []).map((option) =>
    String(asRecord(option)?.value),
  );
  const unknown = values.filter((value) => !offered.includes(value));
  if (unknown.length > 0) {
    throw new Error(
      `select menu "${customId}" offers ${offered.join(', ')}; it has no ${unknown.join(', ')}`,
    );
  }
}

/** Like Discord, gives every component without an `id` the next free number, depth first. */
export function numberComponents(components: unknown[]): APIMessage['components'] {
  let next =
    Math.max(0, ...walkComponents(components).map((component) => Number(component.id ?? 0) || 0)) + 1;
  const visit = (raw: unknown): unknown => {
    const component = asRecord(raw);
    if (component === undefined) return raw;
    const copy: Record<string, unknown> = { ...component };
    if (typeof copy.type === 'number' && copy.id === undefined) copy.id = next++;
    if (Array.isArray(copy.components)) copy.components = copy.components.map(visit);
    if (copy.accessory !== undefined) copy.accessory = visit(copy.accessory);
    if (copy.component !== undefined) copy.component = visit(copy.component);
    return copy;
  };
  return components.map(visit) as APIMessage['components'];
}

/**
 * The components of a modal submission: the modal's layout with each input's value, as Discord sends it.
 * Throws when the values are ones a user could not submit: an unknown custom_id, a required input left
 * empty, a text outside min/max length, a select value the menu does not offer.
 */
export function modalSubmission(
  modal: APIModalInteractionResponseCallbackData,
  values: ModalValues,
): APIModalSubmissionComponent[] {
  const known: string[] = [];
  const idOf = (component: Record<string, unknown>): { id?: number } =>
    typeof component.id === 'number' ? { id: component.id } : {};

  const textInput = (component: Record<string, unknown>): APIModalSubmitTextInputComponent => {
    const customId = String(component.custom_id);
    known.push(customId);
    const given = values[customId];
    if (Array.isArray(given)) throw new Error(`"${customId}" is a text input: give it a string, not a list`);
    const value = given ?? '';
    if (value === '' && component.required !== false) {
      throw new Error(
        `the text input "${customId}" is required; Discord does not let a user submit it empty`,
      );
    }
    const min = typeof component.min_length === 'number' ? component.min_length : 0;
    const max = typeof component.max_length === 'number' ? component.max_length : 4000;
    const length = codePoints(value);
    if (value !== '' && (length < min || length > max)) {
      throw new Error(`the text input "${customId}" takes ${min} to ${max} characters, not ${length}`);
    }
    return { type: ComponentType.TextInput, ...idOf(component), custom_id: customId, value };
  };

  const input = (raw: unknown): ModalSubmitComponent => {
    const component = asRecord(raw) ?? {};
    if (component.type === ComponentType.TextInput) return textInput(component);
    const customId = String(component.custom_id);
    if (component.type === ComponentType.StringSelect) {
      known.push(customId);
      const given = values[customId];
      const picked = given === undefined ? [] : typeof given === 'string' ? [given] : given;
      if (picked.length > 0 || component.required !== false) checkSelectValues(component, customId, picked);
      return { type: ComponentType.StringSelect, ...idOf(component), custom_id: customId, values: picked };
    }
    throw new Error(
      `DiscordStandIn cannot fill modal component type ${String(component.type)} ("${customId}") yet`,
    );
  };

  const components = modal.components.map((raw): APIModalSubmissionComponent => {
    const component = asRecord(raw) ?? {};
    switch (component.type) {
      case ComponentType.ActionRow: {
        const children = Array.isArray(component.components) ? component.components : [];
        return {
          type: ComponentType.ActionRow,
          ...idOf(component),
          components: children.map((child) => textInput(asRecord(child) ?? {})),
        };
      }
      case ComponentType.Label:
        return { type: ComponentType.Label, ...idOf(component), component: input(component.component) };
      case ComponentType.TextDisplay:
        return { type: ComponentType.TextDisplay, ...idOf(component) };
      default:
        throw new Error(
          `DiscordStandIn cannot submit a modal with a component of type ${String(component.type)}`,
        );
    }
  });
  const unknown = Object.keys(values).filter((customId) => !known.includes(customId));
  if (unknown.length > 0) {
    throw new Error(
      `modal "${modal.custom_id}" has no input ${unknown.join(', ')} (it has: ${known.join(', ') || 'none'})`,
    );
  }
  return components;
}
