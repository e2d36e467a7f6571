// One set of values for every test: the project every client is bound to, and the credentials
// and identities that the clients, the fake IAM and the mocks use. The secrets are distinctive
// strings, so that a leak scan finds them anywhere they must not appear.
export const PROJECT_ID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
export const TOKEN = "MIIsecretTOKENvalue-never-in-errors";
export const USER = "alice";
export const DOMAIN = "OTC00000000001000000001";
export const PASSWORD = "pa55-w0rd-SECRET";
export const AK = "AKEXAMPLEAKEXAMPLE01";
export const SK = "SkSecretKeyValue-DoNotLeak-0123456789abcd";
