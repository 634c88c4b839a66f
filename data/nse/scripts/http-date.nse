description = [[
Shows the Date field of an HTTP server's answer (RFC 9110 section 6.6.1)
and how far it is from the scanner's clock. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "safe"}

local datetime = require "datetime"
local http = require "http"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.http

local MONTHS = {Jan = 1, Feb = 2, Mar = 3, Apr = 4, May = 5, Jun = 6, Jul = 7, Aug = 8,
                Sep = 9, Oct = 10, Nov = 11, Dec = 12}

-- an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") as seconds since 1970
local function parse(d)
  local day, mon, y, h, m, s = d:match("^%a+, (%d+) (%a+) (%d+) (%d+):(%d+):(%d+) GMT$")
  if not day or not MONTHS[mon] then return nil end
  y, mon = tonumber(y), MONTHS[mon]
  -- days from civil (Howard Hinnant's algorithm)
  local yy = mon <= 2 and y - 1 or y
  local era = yy // 400
  local yoe = yy - era * 400
  local doy = (153 * (mon + (mon > 2 and -3 or 9)) + 2) // 5 + tonumber(day) - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  local days = era * 146097 + doe - 719468
  return days * 86400 + tonumber(h) * 3600 + tonumber(m) * 60 + tonumber(s)
end

action = function(host, port)
  local r = http.get(host, port, "/")
  local d = r.header and r.header.date
  if not d then return nil end
  local t = parse(d)
  if not t then return nil end
  local now = os.time()
  datetime.record_skew(host, t, now)
  local out = stdnse.output_table()
  out.date = os.date("!%Y-%m-%dT%H:%M:%S+00:00", t)
  out.delta = t - now
  return out, ("%s; %s from local time."):format(d, stdnse.format_time(t - now))
end
