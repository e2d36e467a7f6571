// The sender of requests that name none: the node sender on Node, the fetch sender anywhere else,
// picked by package.json "imports" (`#sender`) so that browser bundles never see node:http.
export { defaultSender } from "#sender";
