/**
 * Why a weighing took no weight (src-main/scale's waitForStable): said by the station and, in English, by the
 * scan screen's weighing panel, so both read them from here. Keys and {placeholders} as the scale sends them.
 */
export const scaleRefusalMessages = {
  scale_unstable_timeout:
    'The scale on {path} did not settle within {seconds} s: keep the bag still on the scale and weigh again, or choose "weigh later".',
  scale_out_of_range:
    'The scale on {path} shows {kg} kg, outside the range {minKg} to {maxKg} kg: take off what does not belong and weigh again.',
  scale_overload:
    'The scale on {path} is overloaded: take the load off, check that only the bag is on it, and weigh again.',
  scale_underload:
    'The scale on {path} shows less than zero: empty it, zero it (its ZERO key), and weigh again.',
  scale_error:
    'The scale on {path} answered with an error ({problem}): check that its protocol and port settings match the station settings.',
  scale_unplugged:
    'The scale on {path} is not connected: plug it in again (the station reconnects by itself), or choose "weigh later".',
  scale_timeout:
    'The scale on {path} sent no reading within {seconds} s: check that it is switched on and that its protocol, baud rate and framing match the station settings.',
  scale_no_bag:
    'No bag heavier than {minKg} kg came onto the scale on {path} within {seconds} s: put the bag on the scale and weigh again, or choose "weigh later".',
  scale_not_emptied:
    'The scale on {path} still shows the last bag weighed ({kg} kg): take it off, put this bag on, and weigh again.',
  scale_cancelled: 'Weighing was cancelled.',
} as const;
