// Command ferretdb runs FerretDB 1.x for local runs and CI, where no MongoDB
// build is available: on PostgreSQL (--postgresql-url, what the stack uses,
// see scripts/stack/postgres.ts) or on SQLite files (--data-dir). Production
// uses a real MongoDB replica set through MONGODB_URI instead.
//
// It is built on FerretDB's embeddable package rather than its cmd/ferretdb,
// which needs version files that only FerretDB's own build generates.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	postgresURL := flag.String("postgresql-url", "", "PostgreSQL connection string (the PostgreSQL backend)")
	dataDir := flag.String("data-dir", "", "directory holding one SQLite file per database (the SQLite backend)")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	config := ferretdb.Config{Listener: ferretdb.ListenerConfig{TCP: *listen}}
	switch {
	case *postgresURL != "":
		config.Handler, config.PostgreSQLURL = "postgresql", *postgresURL
	case *dataDir != "":
		if err := os.MkdirAll(*dataDir, 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "ferretdb:", err)
			os.Exit(1)
		}
		config.Handler, config.SQLiteURL = "sqlite", "file:"+*dataDir+"/"
	default:
		fmt.Fprintln(os.Stderr, "ferretdb: --postgresql-url or --data-dir is required")
		os.Exit(2)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb: bad --log-level:", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	config.Logger = logger
	f, err := ferretdb.New(&config)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	logger.Info("FerretDB listening", "addr", *listen, "handler", config.Handler)
	_ = f.Run(ctx)
}
