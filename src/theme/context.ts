import { createContext, useContext } from 'react';
import { createTheme } from './create-theme.js';
import type { Theme } from './tokens.js';

const ThemeContext = createContext<Theme>(createTheme({ color: false, ascii: true }));

export const ThemeProvider = ThemeContext.Provider;

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
