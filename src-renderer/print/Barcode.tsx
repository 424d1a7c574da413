import { useMemo } from 'react';
import { toSVG } from 'bwip-js/browser';

/** A Code 128 barcode drawn by bwip-js as SVG: sharp at any print size, no canvas, no network. */
export function Barcode({ text, label }: { text: string; label: string }) {
  const src = useMemo(() => {
    const svg = toSVG({
      bcid: 'code128',
      text,
      scale: 3,
      height: 14,
      includetext: true,
      textxalign: 'center',
    });
    return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  }, [text]);
  return <img className="barcode" src={src} alt={label} data-code={text} />;
}
