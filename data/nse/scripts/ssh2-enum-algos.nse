description = [[
Lists the algorithms an SSH server offers in its KEXINIT message (RFC
4253 section 7.1): key exchange, host key, encryption, MAC and
compression, each with how many. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"safe", "discovery"}

local shortport = require "shortport"
local ssh2 = require "ssh2"
local stdnse = require "stdnse"

portrule = shortport.port_or_service(22, "ssh")

local SHOWN = {{"kex_algorithms", "kex_algorithms"},
               {"server_host_key_algorithms", "server_host_key_algorithms"},
               {"encryption_algorithms", "encryption_algorithms_server_to_client"},
               {"mac_algorithms", "mac_algorithms_server_to_client"},
               {"compression_algorithms", "compression_algorithms_server_to_client"}}

action = function(host, port)
  local sock, _, lists = ssh2.start(host, port)
  if not sock then return nil end
  sock:close()
  local out, lines = stdnse.output_table(), {}
  for _, k in ipairs(SHOWN) do
    local algs = {}
    for a in lists[k[2]]:gmatch("[^,]+") do algs[#algs + 1] = a end
    out[k[1]] = algs
    lines[#lines + 1] = ("  %s: (%d)"):format(k[1], #algs)
    for _, a in ipairs(algs) do lines[#lines + 1] = "      " .. a end
  end
  return out, "\n" .. table.concat(lines, "\n")
end
