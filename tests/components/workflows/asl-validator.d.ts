/** The part of `asl-validator` (which ships no types) the tests call. */
declare module "asl-validator" {
    /** Validates a definition; `errorsText` joins the problems with `separator`. */
    export default function aslValidator(
        definition: unknown,
        options?: { checkArn?: boolean; checkPaths?: boolean },
    ): { isValid: boolean; errorsText: (separator?: string) => string };
}
