description = [[
Reads the time a TLS server puts in its ServerHello random (the first
four bytes of gmt_unix_time in TLS 1.0-1.2, RFC 5246 section 7.4.1.2)
and shows it with its offset from the scanner's clock; servers that fill
the field with random bytes (TLS 1.3, most modern stacks) are reported as
such. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "safe", "default"}

local datetime = require "datetime"
local nmap = require "nmap"
local shortport = require "shortport"
local sslcert = require "sslcert"
local stdnse = require "stdnse"

portrule = function(host, port)
  return shortport.ssl(host, port) or sslcert.isPortSupported(port) ~= nil
end

action = function(host, port)
  local ok, cert = sslcert.getCertificate(host, port)
  if not ok or not cert.server_random then return nil end
  local t = string.unpack(">I4", cert.server_random)
  local now = os.time()
  local out = stdnse.output_table()
  -- a random field lands within a day of the clock once in 25,000 draws
  if math.abs(t - now) > 86400 then
    return out, "TLS randomness does not represent time"
  end
  local delta = t - now
  datetime.record_skew(host, t, now)
  out.date = os.date("!%Y-%m-%dT%H:%M:%S+00:00", t)
  out.delta = delta
  return out, ("%s; %s from scanner time."):format(out.date, stdnse.format_time(delta))
end
