import { OrderSchema } from "./schema";
import { createValidator } from "./validation";

/** Checks a value against {@link OrderSchema}: the typed order, or every violation with its JSON Pointer. */
export const validateOrder = createValidator(OrderSchema);
