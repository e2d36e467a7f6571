// The sender requests take when neither the client nor a strategy names one.
import { fetchSender } from "./fetch.js";
import type { Sender } from "./types.js";

export const defaultSender: Sender = fetchSender();
