description = [[
Opens XMPP streams (RFC 6120; client port 5222, server port 5269) and
reports what the server says of itself: when it serves the name sent
(the target's, else none; xmpp-info.server_name), whether it answers a
stream to a name it cannot serve (xmpp-info.alt_server_name, "."):
"Respects server name" when it refuses it with a stream error, else
"Ignores server name"; the stream's id, language and version, its stream
features (SASL mechanisms, compression methods, entity capabilities,
In-Band Registration, stream management, roster versioning, dialback,
and the names of those it does not know), stream errors, and whether
STARTTLS succeeds (then the features offered inside TLS). netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "safe", "discovery", "version"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.version_port_or_service({5222, 5269}, {"jabber", "xmpp-client",
                                                            "xmpp-server"})

local FEATURES = {
  ["http://jabber.org/features/iq-register"] = "In-Band Registration",
  ["urn:xmpp:sm:2"] = "Stream management", ["urn:xmpp:sm:3"] = "Stream management",
  ["urn:xmpp:features:rosterver"] = "Roster Versioning",
  ["urn:xmpp:features:pre-approval"] = "Pre-approval",
  ["http://jabber.org/features/iq-auth"] = "Non-SASL Authentication",
  ["urn:xmpp:csi:0"] = "Client State Indication",
  ["urn:xmpp:features:dialback"] = "Server Dialback",
}

local function stream_open(name, server)
  name = name:gsub("'", "&apos;")
  return ("<?xml version='1.0'?><stream:stream to='%s' xmlns='%s' "
          .. "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>")
         :format(name, server and "jabber:server" or "jabber:client")
end

-- read until the features (or an error, or the stream's end) are in
local function read_until(sock, patterns)
  local buf = ""
  while true do
    for _, p in ipairs(patterns) do
      if buf:find(p) then return buf end
    end
    local ok, d = sock:receive()
    if not ok then return buf ~= "" and buf or nil end
    buf = buf .. d
    if #buf > 65536 then return buf end
  end
end

local END = {"</stream:features>", "<stream:features/>", "</stream:error>", "</stream:stream>"}

local function connect(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then return nil end
  return sock
end

local function attr(tag, name)
  return tag:match(name .. "%s*=%s*'([^']*)'") or tag:match(name .. '%s*=%s*"([^"]*)"')
end

-- the stream header's attributes and its features, as nmap's tables
local function parse(buf)
  local info = {xmpp = {}, features = {}, unknown = {}, errors = {}, capabilities = {},
                auth_mechanisms = {}, compression_methods = {}}
  local head = buf:match("<stream:stream[^>]*>")
  if head then
    info.xmpp.lang = attr(head, "xml:lang")
    info.xmpp.version = attr(head, "version")
    info.stream_id = attr(head, "id")
  end
  local feats = buf:match("<stream:features>(.-)</stream:features>") or ""
  for m in feats:gmatch("<mechanism>([^<]*)</mechanism>") do
    info.auth_mechanisms[#info.auth_mechanisms + 1] = m
  end
  for m in feats:gmatch("<method>([^<]*)</method>") do
    info.compression_methods[#info.compression_methods + 1] = m
  end
  local caps = feats:match("<c%s[^>]*>")
  if caps then
    info.capabilities.node = attr(caps, "node")
    info.capabilities.ver = attr(caps, "ver")
  end
  -- the top-level feature elements: <name xmlns='ns' .../> or <name ...>...</name>
  local pos = 1
  while true do
    local s, e, name, rest = feats:find("<([%w_:-]+)([^>]*)>", pos)
    if not s then break end
    local close = rest:sub(-1) == "/" and e or (select(2, feats:find("</" .. name .. ">", e + 1, true)) or e)
    local ns = attr(rest, "xmlns") or ""
    if name == "mechanisms" or name == "compression" or name == "c" or name == "starttls" then
      -- tabled above (STARTTLS: tried below)
    elseif FEATURES[ns] then
      info.features[#info.features + 1] = FEATURES[ns]
    elseif name ~= "bind" and name ~= "session" then
      info.unknown[#info.unknown + 1] = name
    end
    pos = close + 1
  end
  -- a stream error as nmap lists it: each condition's name, the text as
  -- {text = ...}, then the stream's end ("stream:stream") and the read
  -- that found nothing more ("(timeout)", on EOF too)
  local err = buf:match("<stream:error>(.-)</stream:error>")
  if err then
    local pos = 1
    while true do
      local s, e, name, rest = err:find("<([%w_:-]+)([^>]*)>", pos)
      if not s then break end
      local cs, ce
      if rest:sub(-1) ~= "/" then cs, ce = err:find("</" .. name .. ">", e + 1, true) end
      if name == "text" then
        info.errors[#info.errors + 1] = {text = err:sub(e + 1, (cs or #err + 1) - 1)}
      else
        info.errors[#info.errors + 1] = name
      end
      pos = (ce or e) + 1
    end
    if buf:find("</stream:stream>", 1, true) then
      info.errors[#info.errors + 1] = "stream:stream"
    end
    info.errors[#info.errors + 1] = "(timeout)"
  end
  return info
end

local function as_output(info)
  local out = stdnse.output_table()
  local x = stdnse.output_table()
  x.lang, x.version = info.xmpp.lang, info.xmpp.version
  out.xmpp = x
  out.features = info.features
  out.unknown = info.unknown
  out.errors = info.errors
  local c = stdnse.output_table()
  c.node, c.ver = info.capabilities.node, info.capabilities.ver
  out.capabilities = c
  out.auth_mechanisms = info.auth_mechanisms
  out.compression_methods = info.compression_methods
  out.stream_id = info.stream_id
  return out
end

action = function(host, port)
  local server = port.number == 5269 or port.service == "xmpp-server"
  -- the name in the stream's "to" (nmap's: the target's name, else "")
  -- and one the server should refuse (xmpp-info.alt_server_name, ".")
  local name = stdnse.get_script_args("xmpp-info.server_name") or host.targetname
               or host.name or ""
  local alt = stdnse.get_script_args("xmpp-info.alt_server_name") or "."
  local result = {}
  -- a name no server serves: "." (RFC 6120 4.9.3.6 host-unknown)
  local sock = connect(host, port)
  if not sock then return nil end
  sock:send(stream_open(alt, server))
  local bogus = read_until(sock, END)
  sock:close()
  if not bogus or not bogus:find("<stream:stream") then return nil end

  sock = connect(host, port)
  if not sock then return nil end
  sock:send(stream_open(name, server))
  local buf = read_until(sock, END)
  if buf and buf:find("<stream:error>") and not buf:find("</stream:stream>", 1, true) then
    buf = buf .. (read_until(sock, {"</stream:stream>"}) or "")
  end
  sock:send("</stream:stream>")
  sock:close()
  if not buf then return nil end
  local info = parse(buf)
  -- whether the server refuses the other name tells only when it serves
  -- this one
  if #info.errors == 0 then
    local refused = bogus:find("<stream:error>") ~= nil
    result[#result + 1] = refused and "Respects server name" or "Ignores server name"
  end

  -- STARTTLS (RFC 6120 5.4): proceed, the TLS handshake, a new stream
  local post
  sock = connect(host, port)
  if sock then
    sock:send(stream_open(name, server))
    local first = read_until(sock, END)
    if first and first:find("<starttls") then
      sock:send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
      local ans = read_until(sock, {"<proceed[^>]*/>", "<failure[^>]*/>", "</failure>"})
      if ans and ans:find("<proceed") and sock:reconnect_ssl() then
        sock:send(stream_open(name, server))
        local inner = read_until(sock, END)
        if inner then post = parse(inner) end
      end
    end
    sock:close()
  end
  if not post then result[#result + 1] = "STARTTLS Failed" end
  if post then
    result.pre_tls = as_output(info)
    result.post_tls = as_output(post)
  else
    result.info = as_output(info)
  end
  return result
end
