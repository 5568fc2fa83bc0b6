/** The one error shape of every service: `{"error":{"code","message","details"}}`. */
export interface ErrorEnvelope {
  error: {
    code: string;
    message: string;
    details?: Record<string, unknown>;
  };
}

/** One invalid field of a request, as listed in a validation error's details. */
export interface FieldProblem {
  field: string;
  problems: string[];
}
