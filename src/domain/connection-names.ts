/**
 * The connection name is never typed by the admin: the program assigns it from the admin's UPN or
 * a domain name, as the reference product does.
 */
export type NameSource =
  | { readonly service: 'exchange'; readonly location: 'online'; readonly upn: string }
  | { readonly service: 'sharepoint'; readonly location: 'online'; readonly url: string }
  | { readonly service: 'exchange'; readonly location: 'onpremises'; readonly server: string | null; readonly autodiscoverDomain?: string }
  | { readonly service: 'sharepoint'; readonly location: 'onpremises'; readonly url: string };

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}

export function assignedConnectionName(source: NameSource): string {
  switch (source.service) {
    case 'exchange':
      if (source.location === 'online') return source.upn.toLowerCase();
      if (source.server) return source.server.toLowerCase();
      return `Autodiscover (${source.autodiscoverDomain ?? 'this domain'})`;
    case 'sharepoint':
      return hostOf(source.url);
  }
}
