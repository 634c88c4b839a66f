description = "two"
categories = {"safe"}
portrule = function(host, port) return port.number == 8000 end
action = function(host, port)
  return "line1\nline2\x01\xff end"
end
