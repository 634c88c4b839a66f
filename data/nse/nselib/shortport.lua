-- netkit's `shortport` (ours, from nmap's documented NSE API): portrule
-- builders over port numbers, service names, protocols and states.
local nmap = require "nmap"
local shortport = {}

local function set_of(v)
  local s = {}
  if type(v) ~= "table" then v = {v} end
  for _, x in ipairs(v) do s[x] = true end
  return s
end

local function match(ports, services, protos, states)
  local ps, ss = set_of(ports or {}), set_of(services or {})
  local pr, st = set_of(protos or "tcp"), set_of(states or {"open", "open|filtered"})
  return function(host, port)
    if not pr[port.protocol] or not st[port.state] then return false end
    return ps[port.number] or ss[port.service] or false
  end
end

function shortport.portnumber(ports, protos, states)
  return match(ports, nil, protos, states)
end

function shortport.service(services, protos, states)
  return match(nil, services, protos, states)
end

function shortport.port_or_service(ports, services, protos, states)
  return match(ports, services, protos, states)
end

-- as port_or_service, and only when --version-intensity is at least
-- rarity (default 7: nmap's documented rule, so -sV's lighter runs leave
-- these scripts out as nmap 7.93 does)
function shortport.version_port_or_service(ports, services, protos, states, rarity)
  local f = match(ports, services, protos, states)
  rarity = rarity or 7
  return function(host, port)
    if nmap.version_intensity() < rarity then return false end
    if port.version and port.version.service_tunnel == "ssl" then
      return f(host, port) or false
    end
    return f(host, port)
  end
end

-- HTTP: the IANA ports and the service names nmap's table gives them
shortport.LIKELY_HTTP_PORTS = {80, 443, 631, 7080, 8080, 8443, 8088, 5800, 3872, 8180, 8000}
shortport.LIKELY_HTTP_SERVICES = {"http", "https", "ipp", "http-alt", "https-alt", "vnc-http",
                                  "oem-agent", "soap", "http-proxy", "caldav", "carddav",
                                  "webdav"}
shortport.http = match(shortport.LIKELY_HTTP_PORTS, shortport.LIKELY_HTTP_SERVICES, "tcp")

-- TLS: the IANA ports of protocols over TLS, and anything -sV found in a tunnel
local SSL_PORTS = {261, 271, 324, 443, 465, 563, 585, 636, 853, 989, 990, 992, 993, 994, 995,
                   2221, 2252, 2376, 3269, 3389, 4911, 5061, 5986, 6679, 6697, 8443, 8883,
                   9001}
local SSL_SERVICES = {"https", "ftps", "imaps", "ldapssl", "nntps", "pop3s", "smtps",
                      "ssmtp", "telnets", "ircs", "xmpps", "ms-wbt-server", "sip-tls"}
local ssl_match = match(SSL_PORTS, SSL_SERVICES, {"tcp", "udp"})
function shortport.ssl(host, port)
  if port.version and port.version.service_tunnel == "ssl" then return true end
  return ssl_match(host, port)
end

return shortport
