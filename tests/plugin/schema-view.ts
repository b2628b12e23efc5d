/**
 * A flat view of a Pulumi package schema for the tests: every input of a component by argument
 * path with a readable type name, and the names each language uses for a property.
 */

/** A property of a Pulumi package schema (the part of the spec these tests read). */
export interface SchemaProperty {
    readonly type?: string;
    readonly $ref?: string;
    readonly items?: SchemaProperty;
    readonly additionalProperties?: SchemaProperty;
    readonly description?: string;
    readonly plain?: boolean;
    readonly optional?: boolean;
}

/** An object or enum type of the schema. */
export interface SchemaType {
    readonly type: string;
    readonly properties?: Record<string, SchemaProperty>;
    readonly required?: readonly string[];
    readonly enum?: readonly { readonly name: string; readonly value: string | number; readonly description?: string }[];
}

/** A Pulumi package schema (the part these tests read). */
export interface PackageSchema {
    readonly name: string;
    readonly resources: Record<
        string,
        {
            readonly description?: string;
            readonly inputProperties: Record<string, SchemaProperty>;
            readonly requiredInputs: readonly string[];
            readonly properties: Record<string, SchemaProperty>;
            readonly required: readonly string[];
        }
    >;
    readonly types: Record<string, SchemaType>;
    readonly dependencies?: readonly { readonly name: string; readonly version: string }[];
}

/** The schema type a local `$ref` points to, and its short name (`CorsArgs`). */
export function refType(schema: PackageSchema, ref: string): { name: string; type: SchemaType } | undefined {
    const match = /^#\/types\/(.+)$/.exec(ref);
    if (!match) return undefined;
    const type = schema.types[match[1]];
    if (!type) throw new Error(`the schema has no type ${match[1]}`);
    return { name: match[1].split(":").pop()!, type };
}

/**
 * A property's type in words: `string`, `number`, `boolean`, `string[]`, `map<string>`, `map<any>`,
 * an object type's short name, `enum <Name>`, or a resource type token for a resource reference.
 */
export function typeName(schema: PackageSchema, property: SchemaProperty): string {
    if (property.$ref !== undefined) {
        if (property.$ref === "pulumi.json#/Any") return "any";
        const resource = /#\/resources\/(.+)$/.exec(property.$ref);
        if (resource) return decodeURIComponent(resource[1]);
        const local = refType(schema, property.$ref);
        if (!local) throw new Error(`unexpected $ref ${property.$ref}`);
        return local.type.enum ? `enum ${local.name}` : local.name;
    }
    if (property.type === "array") return `${typeName(schema, property.items!)}[]`;
    if (property.type === "object" && property.additionalProperties) return `map<${typeName(schema, property.additionalProperties)}>`;
    if (property.type === undefined) throw new Error("a property without a type or $ref");
    return property.type;
}

/** One input of a component, by its argument path. */
export interface FlatInput {
    readonly path: string;
    readonly property: SchemaProperty;
    /** Whether the object that holds it lists it as required. */
    readonly required: boolean;
}

/** Every input of a component resource and of the object types under it, by path (`[]` for list items). */
export function flatInputs(schema: PackageSchema, token: string): FlatInput[] {
    const resource = schema.resources[token];
    const inputs: FlatInput[] = [];
    const walk = (properties: Record<string, SchemaProperty>, required: readonly string[], prefix: string) => {
        for (const [name, property] of Object.entries(properties)) {
            const path = prefix ? `${prefix}.${name}` : name;
            inputs.push({ path, property, required: required.includes(name) });
            descend(property, path);
        }
    };
    const descend = (property: SchemaProperty, path: string) => {
        if (property.type === "array" && property.items) return descend(property.items, `${path}[]`);
        if (property.$ref === undefined) return;
        const local = refType(schema, property.$ref);
        if (local?.type.properties) walk(local.type.properties, local.type.required ?? [], path);
    };
    walk(resource.inputProperties, resource.requiredInputs, "");
    return inputs;
}

/**
 * The Python name of a schema property, as Pulumi's Python code generator writes it: snake_case
 * (`maxBatchingWindowSeconds` -> `max_batching_window_seconds`).
 */
export function pythonName(name: string): string {
    return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}
