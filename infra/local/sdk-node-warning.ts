/**
 * The AWS SDK for JavaScript v3 warns once per process, on Node < 22, that its releases after early
 * 2027 will need Node 22 (`NodeVersionSupportWarning`). Keiro runs Node 20 on purpose in `npm test`
 * and `npm start` (it still supports it; Lambda runs 22), where that warning opened the output and
 * filled most of a test run (every worker printed it). This turns off that one warning through the
 * SDK's own switch, and only on Node < 22; every other warning still prints. Child processes
 * (test workers) inherit it.
 */
export const SDK_NODE_VERSION_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

export const silenceSdkNodeVersionWarning = (nodeVersion = process.versions.node): void => {
  if (Number(nodeVersion.split('.')[0]) < 22) process.env[SDK_NODE_VERSION_WARNING_SWITCH] = 'true';
};
