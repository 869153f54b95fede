/** Discord's 400 "Invalid Form Body": errors nested by field path, leaves under `_errors`. */
import { codePoints } from '../narrow.ts';

interface ErrorNode {
  errors: { code: string; message: string }[];
  children: Map<string, ErrorNode>;
}

export type FieldPath = (string | number)[];

export class FormErrors {
  readonly #root: ErrorNode = { errors: [], children: new Map() };
  size = 0;

  add(path: readonly (string | number)[], code: string, message: string): void {
    let node = this.#root;
    for (const key of path) {
      let child = node.children.get(String(key));
      if (child === undefined) {
        child = { errors: [], children: new Map() };
        node.children.set(String(key), child);
      }
      node = child;
    }
    node.errors.push({ code, message });
    this.size += 1;
  }

  toJSON(): Record<string, unknown> {
    return serializeErrors(this.#root);
  }
}

function serializeErrors(node: ErrorNode): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (node.errors.length > 0) result._errors = node.errors;
  for (const [key, child] of node.children) result[key] = serializeErrors(child);
  return result;
}

export function maxLength(errors: FormErrors, path: FieldPath, value: unknown, limit: number): void {
  if (typeof value === 'string' && codePoints(value) > limit) {
    errors.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${limit} or fewer in length.`);
  }
}
