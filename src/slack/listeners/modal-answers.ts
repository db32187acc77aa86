// What modal submissions share: reading a typed field, and answering in the modal while the
// check is quick (a refusal shown where the person is looking), else after the ack.
import type { Outcome } from "../../workflow";
import { clip } from "../blocks/block-kit";

/** How long a submission's check may take before the modal is closed and the answer goes by DM. */
export const ANSWER_IN_MODAL_MS = 2_000;

type InputValues = Record<string, Record<string, { value?: string | null }>>;

/** A plain-text input's value as Slack sent it ("" when absent). */
export function typed(values: InputValues, block: string, input: string): string {
  return values[block]?.[input]?.value ?? "";
}

/** The outcome, or "late" once `ms` have passed (the work goes on). */
export async function within<T>(ms: number, work: Promise<T>): Promise<T | "late"> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), ms)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A refusal as a modal field's error: plain text, short. */
export function fieldError<T>(outcome: Outcome<T>): string {
  return outcome.ok ? "" : clip(outcome.refusal.message, 300);
}
