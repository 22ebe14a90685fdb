-- wrk script of the benchmarks: sends the bearer token in TENDER_BENCH_TOKEN (if set), and
-- prints one JSON line with what tests/bench/bench.py reads.  With TENDER_BENCH_STOP_AFTER=N
-- (the soak test), each thread stops once it has N answers and says so on stderr ("stopped"),
-- for the caller to end wrk with SIGINT (wrk itself waits for -d).
local token = os.getenv("TENDER_BENCH_TOKEN")
if token ~= nil and token ~= "" then
	wrk.headers["Authorization"] = "Bearer " .. token
end

local stop_after = tonumber(os.getenv("TENDER_BENCH_STOP_AFTER") or "")
if stop_after ~= nil then
	local answers = 0
	function response(status, headers, body)
		answers = answers + 1
		if answers == stop_after then
			wrk.thread:stop()
			io.stderr:write("stopped\n")
			io.stderr:flush()
		end
	end
end

function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format(
		'{"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p99_us": %d, ' ..
		'"max_us": %d, "mean_us": %.1f, "connect_errors": %d, "read_errors": %d, ' ..
		'"write_errors": %d, "status_errors": %d, "timeouts": %d}\n',
		summary.requests, summary.duration, summary.bytes,
		latency:percentile(50), latency:percentile(99), latency.max, latency.mean,
		e.connect, e.read, e.write, e.status, e.timeout))
end
