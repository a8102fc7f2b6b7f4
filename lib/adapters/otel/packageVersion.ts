/**
 * The version of mvx-common this file ships with: the default `version` of the OpenTelemetry
 * instrumentation scope (a spec checks it equals `package.json`'s version).
 * @internal
 */
export const PACKAGE_VERSION = '0.3.1';
