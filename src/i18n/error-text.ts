/** What a failure reply says: what was wrong (with the measured value and the limit) and what to do. */
export interface ErrorText {
  readonly title: string;
  readonly description: string;
  readonly hint: string;
}
