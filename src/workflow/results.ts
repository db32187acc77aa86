import type { Refusal } from "../domain";

export type UseCaseRefusalCode =
  | Refusal["code"]
  | "not_found"
  | "already_decided"
  | "no_relationship"
  | "partner_center"
  | "not_actionable";

export interface UseCaseRefusal {
  code: UseCaseRefusalCode;
  message: string;
}

/** Every use case answers with either its value or a refusal a person can read. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; refusal: UseCaseRefusal };

export function success<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function refused<T>(code: UseCaseRefusalCode, message: string): Outcome<T> {
  return { ok: false, refusal: { code, message } };
}
