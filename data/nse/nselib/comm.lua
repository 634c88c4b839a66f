-- netkit's `comm` (ours, from nmap's documented NSE API): one-shot
-- exchanges with a service: connect, optionally send, read what comes.
local nmap = require "nmap"
local comm = {}

local function setup(opts)
  opts = opts or {}
  local sock = nmap.new_socket()
  sock:set_timeout(opts.connect_timeout or opts.timeout or 5000)
  return sock, opts
end

local function read(sock, opts)
  sock:set_timeout(opts.request_timeout or opts.timeout or 5000)
  if opts.lines then return sock:receive_lines(opts.lines) end
  if opts.bytes then return sock:receive_bytes(opts.bytes) end
  return sock:receive()
end

-- opencon(host, port, data, opts) -> socket, response, early_response
function comm.opencon(host, port, data, opts)
  local sock
  sock, opts = setup(opts)
  local proto = opts.proto or (type(port) == "table" and port.protocol) or "tcp"
  local ok, err = sock:connect(host, port, proto)
  if not ok then return nil, err end
  if data and #data > 0 then
    ok, err = sock:send(data)
    if not ok then sock:close(); return nil, err end
  end
  local st, resp = read(sock, opts)
  if not st then
    if opts.recv_before or (data and #data > 0) then sock:close(); return nil, resp end
    return sock, nil
  end
  return sock, resp
end

function comm.get_banner(host, port, opts)
  opts = opts or {}
  local sock, resp = comm.opencon(host, port, nil, opts)
  if not sock then return false, resp end
  sock:close()
  if not resp then return false, "TIMEOUT" end
  return true, resp
end

function comm.exchange(host, port, data, opts)
  opts = opts or {}
  local sock, resp = comm.opencon(host, port, data, opts)
  if not sock then return false, resp end
  sock:close()
  if not resp then return false, "TIMEOUT" end
  return true, resp
end

-- tryssl: TLS first on ports that usually speak it, else plain first
function comm.tryssl(host, port, data, opts)
  opts = opts or {}
  local shortport = require "shortport"
  local order = shortport.ssl(host, port) and {"ssl", "tcp"} or {"tcp", "ssl"}
  for _, proto in ipairs(order) do
    local o = setmetatable({proto = proto}, {__index = opts})
    local sock, resp = comm.opencon(host, port, data, o)
    if sock and resp then return sock, resp, proto end
    if sock then sock:close() end
  end
  return nil, nil, nil
end

return comm
