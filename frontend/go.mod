// The web app is no Go code: this file keeps frontend/ (and the Go files
// some npm packages ship in node_modules) out of the root module's ./...
module samverkan.invalid/frontend

go 1.26
