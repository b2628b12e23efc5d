import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

/** Physical names of the children; the rules for the component name are in `contract/naming.ts`. */

/**
 * A short, stable hash of the project, stack and component name. Physical names that
 * we choose ourselves end in it, so that two stacks (or two components) in one account and region
 * never collide, while the same stack always gets the same name (no replacement on a re-run).
 */
export function stackSuffix(componentName: string): string {
    const scope = [pulumi.getProject(), pulumi.getStack(), componentName].join("/");
    return createHash("sha256").update(scope).digest("hex").slice(0, 7);
}

/**
 * The physical name for a child whose name must be known before it exists, e.g. a Lambda function
 * whose log group `/aws/lambda/<function name>` is created first: `<component>-<role>-<suffix>`.
 */
export function physicalName(componentName: string, role: string): string {
    return `${componentName}-${role}-${stackSuffix(componentName)}`;
}
