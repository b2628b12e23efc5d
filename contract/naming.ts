/** The rules for a component's name, which prefixes every AWS name the pipeline derives. */

/**
 * Longest component name accepted: the longest derived name, the auto-named IAM role
 * `<name>-process-role-<7 chars>`, must stay within IAM's 64-character limit on role names.
 */
export const MAX_COMPONENT_NAME_LENGTH = 40;

/** Component names: letters, digits and hyphens, starting with a letter (valid in every AWS name we derive). */
export const COMPONENT_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9-]*$/;

/** The default component name of the stack program and of local mode. */
export const DEFAULT_COMPONENT_NAME = "orders";
