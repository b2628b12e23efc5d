/**
 * Reads the programs in examples/ (YAML, Python, TypeScript) as data, and turns the arguments each
 * gives OrderPipeline into what its language's SDK sends over the wire: the schema's property names,
 * checked one by one against the schema on the way.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import ts from "typescript";
import { pythonName, refType, typeName, type PackageSchema, type SchemaProperty } from "./schema-view";

export const ROOT = path.resolve(__dirname, "../..");
export const EXAMPLES = path.join(ROOT, "examples");

/** A reference to an enum member as a program writes it (`order_pipeline.MfaMode.ON`, `MfaMode.ON`). */
export interface EnumReference {
    readonly enum: string;
    readonly member: string;
}

/** What an example gives OrderPipeline and which of its outputs it reads. */
export interface ExampleProgram {
    /** The resource's name in the program. */
    readonly name: string;
    /** The arguments as the program writes them: its language's property names, enum references. */
    readonly args: Record<string, unknown>;
    /** The outputs the program reads, in its language's names. */
    readonly outputs: readonly string[];
}

/** examples/yaml/Pulumi.yaml: the OrderPipeline resource, its properties and the outputs it reads. */
export function readYamlExample(type: string): ExampleProgram & { readonly packages: Record<string, string> } {
    const project = yaml.load(fs.readFileSync(path.join(EXAMPLES, "yaml/Pulumi.yaml"), "utf8")) as any;
    const entries = Object.entries(project.resources as Record<string, any>).filter(([, r]) => r.type === type);
    if (entries.length !== 1) throw new Error(`examples/yaml/Pulumi.yaml must have one ${type}, found ${entries.length}`);
    const [name, resource] = entries[0];
    const outputs = Object.values(project.outputs as Record<string, string>).map((expression) => {
        const match = new RegExp(`^\\$\\{${name}\\.(\\w+)\\}$`).exec(expression);
        if (!match) throw new Error(`examples/yaml/Pulumi.yaml: output ${expression} does not read an output of ${name}`);
        return match[1];
    });
    return { name, args: resource.properties, outputs, packages: project.packages };
}

/** Python's own parser reads the example; this prints the OrderPipeline call's keyword arguments as JSON. */
const PYTHON_READER = `
import ast, json, sys
tree = ast.parse(open(sys.argv[1]).read(), sys.argv[1])
def value(node):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Dict):
        return {value(k): value(v) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.List):
        return [value(e) for e in node.elts]
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
        return {"enum": node.value.attr, "member": node.attr}
    raise ValueError("line %d: not a literal the check can read: %s" % (node.lineno, ast.dump(node)))
calls = [n for n in ast.walk(tree) if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call)
         and isinstance(n.value.func, ast.Attribute) and n.value.func.attr == "OrderPipeline"]
if len(calls) != 1:
    raise ValueError("expected one assignment of an OrderPipeline, found %d" % len(calls))
target, call = calls[0].targets[0].id, calls[0].value
attributes = sorted({n.attr for n in ast.walk(tree)
                     if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == target})
print(json.dumps({"name": value(call.args[0]), "args": {k.arg: value(k.value) for k in call.keywords}, "outputs": attributes}))
`;

/** examples/python/__main__.py, read by Python's own parser. */
export function readPythonExample(): ExampleProgram {
    const output = execFileSync("python3", ["-c", PYTHON_READER, path.join(EXAMPLES, "python/__main__.py")], { encoding: "utf8" });
    return JSON.parse(output);
}

/** A TypeScript expression of the example as data; enum members as {@link EnumReference}. */
function tsValue(node: ts.Expression, file: ts.SourceFile): unknown {
    if (ts.isObjectLiteralExpression(node)) {
        return Object.fromEntries(
            node.properties.map((p) => {
                if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
                    throw new Error(`examples/typescript: not a plain property: ${p.getText(file)}`);
                }
                return [p.name.text, tsValue(p.initializer, file)];
            }),
        );
    }
    if (ts.isArrayLiteralExpression(node)) return node.elements.map((e) => tsValue(e, file));
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isNumericLiteral(node)) return Number(node.text);
    if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) return { enum: node.expression.text, member: node.name.text };
    throw new Error(`examples/typescript: not a literal the check can read: ${node.getText(file)}`);
}

/** examples/typescript/index.ts, read by the TypeScript parser. */
export function readTypeScriptExample(): ExampleProgram {
    const fileName = path.join(EXAMPLES, "typescript/index.ts");
    const file = ts.createSourceFile(fileName, fs.readFileSync(fileName, "utf8"), ts.ScriptTarget.Latest, true);
    const found: { variable: string; call: ts.NewExpression }[] = [];
    const outputs = new Set<string>();
    const visit = (node: ts.Node) => {
        if (ts.isVariableDeclaration(node) && node.initializer && ts.isNewExpression(node.initializer) && node.initializer.expression.getText(file) === "OrderPipeline") {
            found.push({ variable: node.name.getText(file), call: node.initializer });
        }
        ts.forEachChild(node, visit);
    };
    visit(file);
    if (found.length !== 1) throw new Error(`examples/typescript/index.ts must build one OrderPipeline, found ${found.length}`);
    const [{ variable, call }] = found;
    const readOutputs = (node: ts.Node) => {
        if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === variable) outputs.add(node.name.text);
        ts.forEachChild(node, readOutputs);
    };
    readOutputs(file);
    const [name, args] = call.arguments ?? [];
    return { name: tsValue(name, file) as string, args: tsValue(args, file) as Record<string, unknown>, outputs: [...outputs].sort() };
}

/**
 * A program's arguments as the wire carries them: each property name turned into the schema's (by
 * `nameOf`, the language's name for a schema name), each enum reference into its value, and every
 * name and type checked against the schema. Throws naming the first argument that is not in it.
 */
export function toWire(schema: PackageSchema, properties: Record<string, SchemaProperty>, args: Record<string, unknown>, nameOf: (schemaName: string) => string, at = ""): Record<string, unknown> {
    const byName = new Map(Object.entries(properties).map(([schemaName, property]) => [nameOf(schemaName), { schemaName, property }]));
    return Object.fromEntries(
        Object.entries(args).map(([name, value]) => {
            const found = byName.get(name);
            const where = at ? `${at}.${name}` : name;
            if (!found) throw new Error(`${where} is not an argument in the schema (expected one of ${[...byName.keys()].join(", ")})`);
            return [found.schemaName, valueToWire(schema, found.property, value, nameOf, where)];
        }),
    );
}

function valueToWire(schema: PackageSchema, property: SchemaProperty, value: unknown, nameOf: (schemaName: string) => string, at: string): unknown {
    if (property.type === "array") {
        if (!Array.isArray(value)) throw new Error(`${at} must be a list`);
        return value.map((item, index) => valueToWire(schema, property.items!, item, nameOf, `${at}[${index}]`));
    }
    if (property.type === "object" && property.additionalProperties) {
        // A map's keys are data (tag names, event pattern fields): sent as written.
        if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`${at} must be a map`);
        return value;
    }
    if (property.$ref !== undefined && property.$ref !== "pulumi.json#/Any") {
        const local = refType(schema, property.$ref)!;
        if (local.type.enum) {
            const reference = value as EnumReference;
            const member =
                typeof value === "string"
                    ? local.type.enum.find((m) => m.value === value)
                    : reference.enum === local.name
                      ? local.type.enum.find((m) => m.name === reference.member)
                      : undefined;
            if (!member) throw new Error(`${at} must be one of ${local.name}'s values (${local.type.enum.map((m) => m.value).join(", ")}), got ${JSON.stringify(value)}`);
            return member.value;
        }
        if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`${at} must be an object (${local.name})`);
        return toWire(schema, local.type.properties ?? {}, value as Record<string, unknown>, nameOf, at);
    }
    const expected = typeName(schema, property);
    if (typeof value !== expected) throw new Error(`${at} must be a ${expected}, got ${JSON.stringify(value)}`);
    return value;
}

/** The Python example's names: snake_case. */
export const PYTHON_NAMES = pythonName;
/** The YAML and TypeScript names: the schema's own. */
export const SCHEMA_NAMES = (name: string) => name;
