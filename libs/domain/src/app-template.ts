export const PARAMETER_TYPES = ['string', 'integer', 'boolean'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

/** One value an app template needs, as the catalog describes it. */
export interface TemplateParameter {
  name: string;
  type: ParameterType;
  /** Used when the request leaves the parameter out; without one the parameter is required. */
  default?: string;
  /** A regular expression the whole value (as text) must match; every string parameter has one. */
  pattern?: string;
  /** The longest value accepted, in characters; every string parameter has one. */
  maxLength?: number;
  description?: string;
}

/** An app template (GET /task/v1/templates): a source repository and a manifests chart. */
export interface AppTemplate {
  name: string;
  title: string;
  description: string;
  sourceRepo: string;
  manifestsRepo: string;
  parameters: TemplateParameter[];
}
