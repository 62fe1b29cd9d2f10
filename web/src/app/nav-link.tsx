// A link that marks itself aria-current when its page is open.
import { Link, useLocation } from 'wouter';
import type { ReactNode } from 'react';

export function NavLink({ href, children, exact = false }: { href: string; children: ReactNode; exact?: boolean }) {
  const [location] = useLocation();
  const current = exact ? location === href : location === href || location.startsWith(`${href}/`);
  return (
    <Link href={href} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}
