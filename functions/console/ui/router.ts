/// <reference lib="dom" />
import { useEffect, useState } from 'preact/hooks';

/**
 * The console's pages have addresses of their own (`#/<page>?<query>`), so any page can be linked to,
 * reloaded and reached with the browser's back button.
 */
export interface Route {
  page: string;
  query: URLSearchParams;
}

export const parseRoute = (hash: string): Route => {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?');
  return { page: path, query: new URLSearchParams(search) };
};

/** The address of a page: `href('record', { module: 'Leads', id })` → `#/record?module=Leads&id=…`. */
export const href = (page: string, query: Record<string, string | undefined> = {}): string => {
  const defined = Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  const search = new URLSearchParams(defined).toString();
  return `#/${page}${search ? `?${search}` : ''}`;
};

export const go = (page: string, query: Record<string, string | undefined> = {}) => {
  location.hash = href(page, query);
};

export const useRoute = (): Route => {
  const [route, setRoute] = useState(parseRoute(location.hash));
  useEffect(() => {
    const follow = () => {
      setRoute(parseRoute(location.hash));
      scrollTo(0, 0);
    };
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  return route;
};
