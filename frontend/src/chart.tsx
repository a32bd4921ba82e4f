import { useEffect, useRef } from 'react'

export type Series = { label: string; values: number[] }

/**
 * A bar chart drawn by Chart.js, loaded only when a chart is shown; stacked
 * for parts of a whole, side by side for comparisons (target and outcome).
 * The canvas is an image with a summary; the same figures are always given
 * as a table beside it for screen readers and keyboard users.
 */
export function Bars({ labels, series, summary, format, stacked = true }: { labels: string[]; series: Series[]; summary: string; format: (n: number) => string; stacked?: boolean }) {
  const canvas = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    let chart: { destroy(): void } | undefined
    let cancelled = false
    import('chart.js/auto').then(({ default: Chart }) => {
      if (cancelled || !canvas.current) return
      const palette = ['#0b5394', '#b45f06', '#38761d', '#741b47', '#134f5c', '#7f6000', '#3d3d3d']
      chart = new Chart(canvas.current, {
        type: 'bar',
        data: { labels, datasets: series.map((s, i) => ({ label: s.label, data: s.values, backgroundColor: palette[i % palette.length] })) },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          scales: { x: { stacked }, y: { stacked, beginAtZero: true, ticks: { callback: (v) => format(Number(v)) } } },
          plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${format(Number(c.raw))}` } } },
        },
      })
    }).catch(() => {
      // Chart.js did not load (offline): the table beside the chart has the figures.
    })
    return () => {
      cancelled = true
      chart?.destroy()
    }
  }, [labels, series, format, stacked])
  return (
    <div className="chart">
      <canvas ref={canvas} role="img" aria-label={summary} />
    </div>
  )
}
