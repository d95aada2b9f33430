// Stand-in for Ink's development-only devtools bridge (never loaded in production builds).
export default { initialize() {}, connectToDevTools() {} };
