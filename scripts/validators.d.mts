/** The module text of one service's compiled validators (see scripts/validators.mjs). */
export function validatorsModule(service: string, spec: object): Promise<string>;
/** The declarations of a generated validators module. */
export function validatorsDeclarations(service: string): string;
export const OPEN_ENUM_KEYWORD: string;
