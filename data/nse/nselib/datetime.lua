-- netkit's `datetime` library (ours, written from nmap's NSEDoc for
-- datetime; checked side by side with nmap 7.93 by
-- tests/integration/nse_cases/datetime.lua): ISO 8601 timestamps,
-- intervals as "1d01h01m01s", dates as epoch seconds, and the clock
-- skews that scripts record for clock-skew.
local datetime = {}

-- days from 1970-01-01 to y-m-d (proleptic Gregorian; m may overflow)
local function days_from_civil(y, m, d)
  y = y + (m - 1) // 12
  m = (m - 1) % 12 + 1
  if m <= 2 then y = y - 1 end
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = (153 * mp + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

--- Epoch seconds (a float, as nmap's) of a date table read as UTC,
-- less offset seconds; hour 12 when the table has none, as os.time.
function datetime.date_to_timestamp(date, offset)
  local days = days_from_civil(date.year, date.month, date.day)
  local t = days * 86400 + (date.hour or 12) * 3600 + (date.min or 0) * 60 + (date.sec or 0)
  return t - (offset or 0) + 0.0
end

--- "YYYY-MM-DDTHH:MM:SS" of epoch seconds (plus "+hh:mm" with an offset,
-- the time shown at that offset) or of a date table as it stands.
function datetime.format_timestamp(t, offset)
  if type(t) == "table" then
    return string.format("%04d-%02d-%02dT%02d:%02d:%02d", t.year, t.month, t.day, t.hour, t.min,
      t.sec)
  end
  local s = os.date("!%Y-%m-%dT%H:%M:%S", math.floor(t + (offset or 0)))
  if not offset then return s end
  local sign = offset < 0 and "-" or "+"
  local a = math.floor(math.abs(offset))
  return ("%s%s%02d:%02d"):format(s, sign, a // 3600, a % 3600 // 60)
end

--- An interval (in 1/unit seconds) as "1d01h01m01s", leading zero
-- fields dropped; seconds get log10(unit) decimals.
function datetime.format_time(interval, unit)
  local sign = ""
  if interval < 0 then
    sign = "-"
    interval = -interval
  end
  local precision = 0
  if unit then
    precision = math.floor(math.log(unit, 10))
    interval = interval / unit
  end
  local secfmt = precision == 0 and "%02.0f" or ("%." .. precision .. "f")
  local d = math.floor(interval / 86400)
  local h = math.floor(interval % 86400 / 3600)
  local m = math.floor(interval % 3600 / 60)
  local s = interval % 60
  local full = ("%dd%02dh%02dm%ss"):format(d, h, m, secfmt:format(s))
  local tail = full:match("^[0dhm.]*([1-9].*)$")
  if not tail then
    tail = ((precision == 0 and "%.0f" or secfmt)):format(s) .. "s"
  end
  return sign .. tail
end

--- Records that host's clock differs from ours by timestamp - received
-- seconds (received: when the timestamp arrived, now by default), for
-- clock-skew's host script.
function datetime.record_skew(host, timestamp, received)
  local skew = timestamp - (received or os.time())
  host.registry.datetime_skew = host.registry.datetime_skew or {}
  table.insert(host.registry.datetime_skew, skew)
  return skew
end

return datetime
