// The panel always renders interactively once it has decided to start the TUI (it checks for a
// TTY itself); Ink's own CI detection would otherwise blank the screen when CI is set.
export default false;
