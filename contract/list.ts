/**
 * The list type of OrderPipeline's arguments. Pure: no Pulumi, no AWS SDK.
 */

/**
 * A list argument: a TypeScript caller may pass a mutable or a readonly array (`string[]`,
 * `readonly string[]`, an `as const` tuple), and the component never changes it.
 *
 * It is a `ReadonlyArray` declared under the name `Array` (import it as `List`) because Pulumi's
 * schema inference for multi-language components (`@pulumi/pulumi/provider/experimental`)
 * recognises a list by that name and refuses `ReadonlyArray`; under this name every list argument
 * becomes an `array` in the package schema, while TypeScript callers keep passing readonly arrays.
 * tests/plugin/component-package.test.ts fails if the schema stops reading it as a list.
 */
// The body is empty on purpose: the name is what matters, the members are ReadonlyArray's.
export interface Array<T> extends ReadonlyArray<T> {}
