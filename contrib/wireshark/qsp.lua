-- Wireshark dissector for QSP v1 (SPEC.md §4), with decryption from a QSP key log (SPEC.md §4.17).
--
--   wireshark -X lua_script:contrib/wireshark/qsp.lua -o qsp.tcp_port:9000 -o qsp.keylog_file:/tmp/qsp-keys.log
--   tshark -r capture.pcap -X lua_script:contrib/wireshark/qsp.lua -T fields -e qsp.frame.type -e qsp.hs.type
--
-- Frames (§4.3): type, epoch, seq, length, payload. Handshake messages (§4.4-§4.6) with every field; REKEY messages
-- (§4.10) and CLOSE reasons (§4.11) by name. Protected frames (APP_DATA, REKEY, protected CLOSE) are decrypted
-- when the key log holds the connection's traffic key and this Wireshark has the Lua Gcrypt API (GcryptCipher,
-- Wireshark 4.6 and later); otherwise the frame says why it was not decrypted (qsp.decryption).
-- A heuristic dissector recognises a QSP connection on any TCP port by its first frame (a ClientHello).
--
-- Limits: a handshake message split across two HANDSHAKE frames is shown as a fragment, not reassembled (the
-- engine puts each flight in as few frames as it can: every message of the example vector fits one frame).

local qsp = Proto("qsp", "QSP v1")

local FRAME_TYPES = { [1] = "HANDSHAKE", [2] = "APP_DATA", [3] = "REKEY", [4] = "CLOSE" }
local HS_TYPES = { [1] = "ClientHello", [2] = "ServerHello", [3] = "Certificate", [4] = "CertificateVerify",
                   [5] = "Finished" }
local REKEY_TYPES = { [1] = "REKEY_REQUEST", [2] = "REKEY_INIT", [3] = "REKEY_ACK", [4] = "REKEY_COMMIT" }
local REKEY_KINDS = { [1] = "ratchet", [2] = "fresh" }
local AEADS = { [0x0001] = "AES-256-GCM", [0x0002] = "ChaCha20-Poly1305" }
local SIGNATURES = { [0x0904] = "ML-DSA-44", [0x0905] = "ML-DSA-65", [0x0906] = "ML-DSA-87",
                     [0xFE01] = "SLH-DSA-SHA2-128s", [0xFE02] = "SLH-DSA-SHA2-128f" }
local CLOSE_REASONS = {
    [0x0000] = "CLOSE_NOTIFY", [0x0001] = "BAD_RECORD_MAC", [0x0002] = "UNEXPECTED_EPOCH",
    [0x0003] = "UNEXPECTED_SEQUENCE", [0x0004] = "RECORD_OVERFLOW", [0x0005] = "UNKNOWN_FRAME_TYPE",
    [0x0006] = "UNEXPECTED_MESSAGE", [0x0007] = "HANDSHAKE_TIMEOUT", [0x0008] = "DECODE_ERROR",
    [0x0009] = "BAD_SIGNATURE", [0x000A] = "BAD_CERTIFICATE", [0x000B] = "UNKNOWN_IDENTITY",
    [0x000C] = "BAD_FINISHED", [0x000D] = "DOWNGRADE", [0x000E] = "ILLEGAL_PARAMETER",
    [0x000F] = "NO_COMMON_SUITE", [0x0010] = "UNSUPPORTED_VERSION", [0x0011] = "REKEY_IN_PROGRESS",
    [0x0012] = "REKEY_REFUSED", [0x0013] = "KEY_SOURCE_FAILED", [0x0014] = "LIMIT_REACHED",
    [0x0015] = "TRUNCATED", [0x0016] = "QKD_UNAVAILABLE", [0x0017] = "PSK_REQUIRED", [0x0018] = "UNAUTHENTICATED_CLOSE", [0x00FF] = "INTERNAL" }

local HEADER = 15
local TAG = 16
local MAX_PROTECTED = 16400

local f = {
    frame = ProtoField.none("qsp.frame", "QSP frame"),
    type = ProtoField.uint8("qsp.frame.type", "Type", base.DEC, FRAME_TYPES),
    epoch = ProtoField.uint32("qsp.frame.epoch", "Epoch", base.DEC),
    seq = ProtoField.uint64("qsp.frame.seq", "Sequence", base.DEC),
    length = ProtoField.uint16("qsp.frame.length", "Length", base.DEC),
    payload = ProtoField.bytes("qsp.frame.payload", "Payload"),
    ciphertext = ProtoField.bytes("qsp.frame.ciphertext", "Ciphertext"),
    tag = ProtoField.bytes("qsp.frame.tag", "AEAD tag"),
    decryption = ProtoField.string("qsp.decryption", "Decryption"),
    plaintext = ProtoField.bytes("qsp.plaintext", "Plaintext"),
    app_data = ProtoField.bytes("qsp.app_data", "Application data"),

    hs = ProtoField.none("qsp.hs", "Handshake message"),
    hs_type = ProtoField.uint8("qsp.hs.type", "Message type", base.DEC, HS_TYPES),
    hs_length = ProtoField.uint24("qsp.hs.length", "Message length", base.DEC),
    hs_fragment = ProtoField.bytes("qsp.hs.fragment", "Fragment (continues in the next HANDSHAKE frame)"),
    version = ProtoField.uint16("qsp.hs.version", "Version", base.HEX),
    random = ProtoField.bytes("qsp.hs.random", "Random"),
    aead_ids_length = ProtoField.uint8("qsp.hs.aead_ids_length", "AEAD ids length", base.DEC),
    aead_id = ProtoField.uint16("qsp.hs.aead_id", "AEAD", base.HEX, AEADS),
    sig_ids_length = ProtoField.uint8("qsp.hs.signature_ids_length", "Signature ids length", base.DEC),
    sig_id = ProtoField.uint16("qsp.hs.signature_id", "Signature scheme", base.HEX, SIGNATURES),
    source_count = ProtoField.uint8("qsp.hs.source_count", "Key source entries", base.DEC),
    source = ProtoField.none("qsp.hs.source", "Key source entry"),
    source_id = ProtoField.string("qsp.hs.source_id", "Source id"),
    source_data_length = ProtoField.uint16("qsp.hs.source_data_length", "Data length", base.DEC),
    source_data = ProtoField.bytes("qsp.hs.source_data", "Data"),
    server_name = ProtoField.string("qsp.hs.server_name", "Server name"),
    flags = ProtoField.uint8("qsp.hs.flags", "Flags", base.HEX),
    ch_hash = ProtoField.bytes("qsp.hs.client_hello_hash", "ClientHello hash"),
    client_auth = ProtoField.uint8("qsp.hs.client_auth", "Client authentication", base.DEC,
            { [0] = "none", [1] = "required" }),
    cert_count = ProtoField.uint8("qsp.hs.certificate_count", "Certificates", base.DEC),
    cert_length = ProtoField.uint24("qsp.hs.certificate_length", "Certificate length", base.DEC),
    cert = ProtoField.bytes("qsp.hs.certificate", "Certificate (DER)"),
    signature_length = ProtoField.uint16("qsp.hs.signature_length", "Signature length", base.DEC),
    signature = ProtoField.bytes("qsp.hs.signature", "Signature"),
    verify_data = ProtoField.bytes("qsp.hs.verify_data", "Verify data"),

    rekey_type = ProtoField.uint8("qsp.rekey.type", "Rekey message", base.DEC, REKEY_TYPES),
    rekey_kind = ProtoField.uint8("qsp.rekey.kind", "Kind", base.DEC, REKEY_KINDS),
    next_epoch = ProtoField.uint32("qsp.rekey.next_epoch", "Next epoch", base.DEC),

    close_reason = ProtoField.uint16("qsp.close.reason", "Close reason", base.HEX, CLOSE_REASONS),
    close_reason_name = ProtoField.string("qsp.close.reason_name", "Close reason name"),
}
qsp.fields = {}
for _, v in pairs(f) do table.insert(qsp.fields, v) end

local ef_malformed = ProtoExpert.new("qsp.malformed", "Malformed QSP message", expert.group.MALFORMED, expert.severity.ERROR)
qsp.experts = { ef_malformed }

qsp.prefs.tcp_port = Pref.uint("TCP port", 9000, "TCP port of QSP (0: heuristic only)")
qsp.prefs.keylog_file = Pref.string("Key log file", "", "A QSP key log (dev.qsp.keyLogFile, SPEC.md 4.17)")

-- ---- key log ----------------------------------------------------------------------------------------------

local keylog = { path = nil, keys = {} }

-- keys[client_random_hex][epoch][dir] = { suite = "AES-256-GCM", key = "hex" }
local function load_keylog()
    local path = qsp.prefs.keylog_file
    if path == keylog.path then return end
    keylog.path = path
    keylog.keys = {}
    if path == nil or path == "" then return end
    local fh = io.open(path, "r")
    if fh == nil then return end
    for line in fh:lines() do
        local label, epoch, dir, suite, key = line:match("^QSP_TRAFFIC_KEY (%x+) (%d+) ([CS]2[CS]) (%S+) (%x+)%s*$")
        if label then
            label = label:lower()
            keylog.keys[label] = keylog.keys[label] or {}
            keylog.keys[label][tonumber(epoch)] = keylog.keys[label][tonumber(epoch)] or {}
            keylog.keys[label][tonumber(epoch)][dir] = { suite = suite, key = key }
        end
    end
    fh:close()
end

-- Per TCP stream: the client's endpoint and the ClientHello random (the key log's label).
local streams = {}
local tcp_stream = Field.new("tcp.stream")

local function endpoint(addr, port) return tostring(addr) .. ":" .. tostring(port) end

-- The Lua Gcrypt API, or nil. A test may put a stand-in with the same calls in package.loaded["qsp.test.gcrypt"]
-- (loaded before this script): WiresharkDissectorTest uses one that answers only for the exact key, nonce, AAD,
-- ciphertext and tag the test computed, to check this file's key selection and framing where Gcrypt is absent.
local function cipher_api()
    local stand_in = package.loaded["qsp.test.gcrypt"]
    if stand_in then return stand_in end
    if GcryptCipher == nil then return nil end
    return { open = GcryptCipher.open, AES256 = GCRY_CIPHER_AES256, GCM = GCRY_CIPHER_MODE_GCM,
             CHACHA20 = GCRY_CIPHER_CHACHA20, POLY1305 = GCRY_CIPHER_MODE_POLY1305 }
end

local function decrypt(label, epoch, dir, header_tvb, body_tvb)
    local api = cipher_api()
    if api == nil then
        return nil, "skipped: this Wireshark has no Lua Gcrypt API (GcryptCipher, Wireshark 4.6+)"
    end
    if label == nil then return nil, "no key: the connection's ClientHello was not captured" end
    local byepoch = keylog.keys[label] and keylog.keys[label][epoch]
    local k = byepoch and byepoch[dir]
    if k == nil then return nil, "no key: the key log has no " .. dir .. " key for epoch " .. epoch end
    local algo, mode
    if k.suite == "AES-256-GCM" then
        algo, mode = api.AES256, api.GCM
    elseif k.suite == "ChaCha20-Poly1305" then
        algo, mode = api.CHACHA20, api.POLY1305
    else
        return nil, "no key: unknown AEAD " .. k.suite
    end
    local len = body_tvb:len()
    local c = api.open(algo, mode, 0)
    c:setkey(ByteArray.new(k.key))
    c:setiv(header_tvb:range(1, 12):bytes()) -- nonce = u32(epoch) || u64(seq), SPEC.md §4.9
    c:authenticate(header_tvb:range(0, HEADER):bytes()) -- aad = the 15-byte header
    local plain = c:decrypt(nil, body_tvb:range(0, len - TAG):bytes())
    local rc = c:checktag(body_tvb:range(len - TAG, TAG):bytes())
    if rc ~= 0 then return nil, "failed: the AEAD tag does not verify with the logged key" end
    return plain, "ok"
end

-- ---- message parsers ------------------------------------------------------------------------------------------

-- KeySourceList = u8 count || count x (ascii8 source_id || lp16 data), SPEC.md §4.5
local function source_list(tvb, off, tree, label)
    local count = tvb:range(off, 1):uint()
    local list = tree:add(f.source_count, tvb:range(off, 1))
    list:append_text(" (" .. label .. ")")
    off = off + 1
    for _ = 1, count do
        local idlen = tvb:range(off, 1):uint()
        local dlen = tvb:range(off + 1 + idlen, 2):uint()
        local e = tree:add(f.source, tvb:range(off, 1 + idlen + 2 + dlen))
        local id = tvb:range(off + 1, idlen):string()
        e:add(f.source_id, tvb:range(off + 1, idlen))
        e:add(f.source_data_length, tvb:range(off + 1 + idlen, 2))
        if dlen > 0 then e:add(f.source_data, tvb:range(off + 3 + idlen, dlen)) end
        e:append_text(": " .. id .. ", " .. dlen .. " bytes")
        off = off + 3 + idlen + dlen
    end
    return off
end

local function id_list(tvb, off, tree, len_field, id_field)
    local n = tvb:range(off, 1):uint()
    tree:add(len_field, tvb:range(off, 1))
    for i = 0, n / 2 - 1 do tree:add(id_field, tvb:range(off + 1 + 2 * i, 2)) end
    return off + 1 + n
end

local HS_PARSERS = {
    [1] = function(tvb, off, tree, st) -- ClientHello
        tree:add(f.version, tvb:range(off, 2))
        tree:add(f.random, tvb:range(off + 2, 32))
        if st then st.random = tostring(tvb:range(off + 2, 32):bytes()):lower() end
        off = off + 34
        off = id_list(tvb, off, tree, f.aead_ids_length, f.aead_id)
        off = id_list(tvb, off, tree, f.sig_ids_length, f.sig_id)
        off = source_list(tvb, off, tree, "offers")
        local nlen = tvb:range(off, 1):uint()
        tree:add(f.server_name, tvb:range(off + 1, nlen))
        off = off + 1 + nlen
        tree:add(f.flags, tvb:range(off, 1))
    end,
    [2] = function(tvb, off, tree) -- ServerHello
        tree:add(f.version, tvb:range(off, 2))
        tree:add(f.random, tvb:range(off + 2, 32))
        tree:add(f.ch_hash, tvb:range(off + 34, 48))
        tree:add(f.aead_id, tvb:range(off + 82, 2))
        tree:add(f.sig_id, tvb:range(off + 84, 2))
        off = source_list(tvb, off + 86, tree, "replies")
        tree:add(f.client_auth, tvb:range(off, 1))
    end,
    [3] = function(tvb, off, tree) -- Certificate
        local n = tvb:range(off, 1):uint()
        tree:add(f.cert_count, tvb:range(off, 1))
        off = off + 1
        for _ = 1, n do
            local len = tvb:range(off, 3):uint()
            tree:add(f.cert_length, tvb:range(off, 3))
            tree:add(f.cert, tvb:range(off + 3, len))
            off = off + 3 + len
        end
    end,
    [4] = function(tvb, off, tree) -- CertificateVerify
        tree:add(f.sig_id, tvb:range(off, 2))
        tree:add(f.signature_length, tvb:range(off + 2, 2))
        tree:add(f.signature, tvb:range(off + 4, tvb:range(off + 2, 2):uint()))
    end,
    [5] = function(tvb, off, tree) -- Finished
        tree:add(f.verify_data, tvb:range(off, 48))
    end,
}

local function handshake_messages(tvb, tree, pinfo, st, names)
    local off = 0
    local len = tvb:len()
    while off < len do
        if len - off < 4 then
            tree:add(f.hs_fragment, tvb:range(off))
            return
        end
        local t = tvb:range(off, 1):uint()
        local mlen = tvb:range(off + 1, 3):uint()
        if off + 4 + mlen > len then
            tree:add(f.hs_fragment, tvb:range(off))
            return
        end
        local m = tree:add(f.hs, tvb:range(off, 4 + mlen))
        m:add(f.hs_type, tvb:range(off, 1))
        m:add(f.hs_length, tvb:range(off + 1, 3))
        local name = HS_TYPES[t] or ("type " .. t)
        m:set_text("Handshake: " .. name .. " (" .. mlen .. " bytes)")
        table.insert(names, name)
        local parse = HS_PARSERS[t]
        if parse then
            local ok, err = pcall(parse, tvb:range(off + 4, mlen):tvb(), 0, m, st)
            if not ok then m:add_proto_expert_info(ef_malformed, tostring(err)) end
        end
        off = off + 4 + mlen
    end
end

local function rekey_message(tvb, tree, names)
    local t = tvb:range(0, 1):uint()
    tree:add(f.rekey_type, tvb:range(0, 1))
    table.insert(names, REKEY_TYPES[t] or ("rekey type " .. t))
    if t == 1 then
        tree:add(f.rekey_kind, tvb:range(1, 1))
    elseif t == 2 then
        tree:add(f.rekey_kind, tvb:range(1, 1))
        tree:add(f.next_epoch, tvb:range(2, 4))
        source_list(tvb, 6, tree, "offers")
    elseif t == 3 then
        tree:add(f.next_epoch, tvb:range(1, 4))
        source_list(tvb, 5, tree, "replies")
    elseif t == 4 then
        tree:add(f.next_epoch, tvb:range(1, 4))
    end
end

local function close_reason(tvb, tree, names)
    local code = tvb:range(0, 2):uint()
    local name = CLOSE_REASONS[code] or string.format("unknown 0x%04x", code)
    tree:add(f.close_reason, tvb:range(0, 2))
    tree:add(f.close_reason_name, tvb:range(0, 2), name)
    table.insert(names, "CLOSE " .. name)
end

-- A protected frame's plaintext (§4.9): application data, a rekey message (§4.10) or a CLOSE reason (§4.11).
local function plaintext(t, ptvb, ft, names)
    ft:add(f.plaintext, ptvb:range(0))
    if t == 2 then
        ft:add(f.app_data, ptvb:range(0))
        table.insert(names, "APP_DATA")
    elseif t == 3 then
        rekey_message(ptvb, ft, names)
    elseif t == 4 then
        close_reason(ptvb, ft, names)
    end
end

-- For tests of the plaintext parsers on a Wireshark without the Gcrypt API (WiresharkDissectorTest): the same
-- code path the decrypted frames take.
package.loaded["qsp.internals"] = { proto = qsp, plaintext = plaintext }

-- ---- frames -------------------------------------------------------------------------------------------------

local function one_frame(tvb, pinfo, tree, st, names)
    local t = tvb:range(0, 1):uint()
    local epoch = tvb:range(1, 4):uint()
    local len = tvb:range(13, 2):uint()
    local ft = tree:add(qsp, tvb:range(0, HEADER + len))
    ft:add(f.type, tvb:range(0, 1))
    ft:add(f.epoch, tvb:range(1, 4))
    ft:add(f.seq, tvb:range(5, 8))
    ft:add(f.length, tvb:range(13, 2))
    ft:set_text("QSP " .. (FRAME_TYPES[t] or ("type " .. t)) .. ", epoch " .. epoch .. ", seq "
            .. tostring(tvb:range(5, 8):uint64()) .. ", " .. len .. " bytes")
    if len == 0 and t ~= 2 then return end
    local body = tvb:range(HEADER, len):tvb()
    if t == 1 then
        ft:add(f.payload, tvb:range(HEADER, len))
        handshake_messages(body, ft, pinfo, st, names)
        return
    end
    if t == 4 and len == 2 then -- unprotected CLOSE during the handshake (§4.3, §4.11)
        close_reason(body, ft, names)
        return
    end
    if len < TAG then
        ft:add_proto_expert_info(ef_malformed, "protected frame shorter than its tag")
        return
    end
    ft:add(f.ciphertext, tvb:range(HEADER, len - TAG))
    ft:add(f.tag, tvb:range(HEADER + len - TAG, TAG))
    local dir = "S2C"
    if st and st.client == endpoint(pinfo.src, pinfo.src_port) then dir = "C2S" end
    local ok, plain, status = pcall(decrypt, st and st.random, epoch, dir, tvb:range(0, HEADER):tvb(), body)
    if not ok then
        plain, status = nil, "failed: " .. tostring(plain)
    end
    ft:add(f.decryption, status)
    if plain == nil then
        table.insert(names, FRAME_TYPES[t] or "?")
        return
    end
    plaintext(t, plain:tvb("Decrypted QSP"), ft, names)
end

function qsp.dissector(tvb, pinfo, tree)
    load_keylog()
    local st = nil
    local sf = tcp_stream()
    if sf then
        local id = sf.value
        st = streams[id]
        if st == nil then
            st = {}
            streams[id] = st
        end
    end
    local off = 0
    local total = tvb:len()
    local names = {}
    while off < total do
        if total - off < HEADER then
            pinfo.desegment_offset = off
            pinfo.desegment_len = DESEGMENT_ONE_MORE_SEGMENT
            break
        end
        local len = tvb:range(off + 13, 2):uint()
        if total - off < HEADER + len then
            pinfo.desegment_offset = off
            pinfo.desegment_len = HEADER + len - (total - off)
            break
        end
        if st and st.client == nil and tvb:range(off, 1):uint() == 1 and len >= 5
                and tvb:range(off + HEADER, 1):uint() == 1 then
            st.client = endpoint(pinfo.src, pinfo.src_port) -- the ClientHello's sender is the client
        end
        one_frame(tvb:range(off, HEADER + len):tvb(), pinfo, tree, st, names)
        off = off + HEADER + len
    end
    pinfo.cols.protocol = "QSP"
    if #names > 0 then pinfo.cols.info = table.concat(names, ", ") end
    return off
end

-- A QSP connection starts with a HANDSHAKE frame, epoch 0, seq 0, holding a ClientHello of version 1.
local function heuristic(tvb, pinfo, tree)
    if tvb:len() < HEADER + 6 then return false end
    if tvb:range(0, 1):uint() ~= 1 or tvb:range(1, 4):uint() ~= 0 or tvb:range(5, 8):uint64() ~= UInt64(0) then
        return false
    end
    if tvb:range(13, 2):uint() > 16384 or tvb:range(HEADER, 1):uint() ~= 1 or tvb:range(HEADER + 4, 2):uint() ~= 1 then
        return false
    end
    pinfo.conversation = qsp
    qsp.dissector(tvb, pinfo, tree)
    return true
end
qsp:register_heuristic("tcp", heuristic)

local registered_port = 0
function qsp.prefs_changed()
    local tcp = DissectorTable.get("tcp.port")
    if registered_port ~= 0 then tcp:remove(registered_port, qsp) end
    registered_port = qsp.prefs.tcp_port
    if registered_port ~= 0 then tcp:add(registered_port, qsp) end
end
DissectorTable.get("tcp.port"):add(qsp.prefs.tcp_port, qsp)
registered_port = qsp.prefs.tcp_port
