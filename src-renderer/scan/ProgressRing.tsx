/** N of capacity as a ring beside the headline count: how full the bag is at a glance. */
export function ProgressRing({ count, capacity, label }: { count: number; capacity: number; label: string }) {
  const radius = 88;
  const circumference = 2 * Math.PI * radius;
  const share = capacity > 0 ? Math.min(1, count / capacity) : 0;
  const full = capacity > 0 && count >= capacity;
  return (
    <div className="ring" role="img" aria-label={label}>
      <svg viewBox="0 0 200 200" aria-hidden="true">
        <circle cx="100" cy="100" r={radius} className="ring-track" />
        {share > 0 && (
          <circle
            cx="100"
            cy="100"
            r={radius}
            className={full ? 'ring-bar ring-full' : 'ring-bar'}
            strokeDasharray={`${share * circumference} ${circumference}`}
            transform="rotate(-90 100 100)"
          />
        )}
      </svg>
    </div>
  );
}
