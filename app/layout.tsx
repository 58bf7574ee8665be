import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Toaster } from '@/components/ui/toast';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Refund Desk', template: '%s · Refund Desk' },
  description: 'Refund tickets, policy checks and decisions for the support team.',
};

// Every page is rendered per request: sessions, live data and the CSP nonce all need it.
export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        {children}
        <Toaster />
      </body>
    </html>
  );
}
