/** Reading the components of a message the bot sent: finding a button or menu, Discord's numbering. */
import type { APIMessage } from 'discord-api-types/v10';
import { asRecord } from './narrow.ts';

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

/** Every component of a message, depth first: rows and containers, their children, section accessories. */
export function walkComponents(components: readonly unknown[]): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const visit = (raw: unknown): void => {
    const component = asRecord(raw);
    if (component === undefined) return;
    found.push(component);
    if (Array.isArray(component.components)) component.components.forEach(visit);
    if (component.accessory !== undefined) visit(component.accessory);
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
    return copy;
  };
  return components.map(visit) as APIMessage['components'];
}
