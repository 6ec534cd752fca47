;;; eglot_test.el --- headless Emacs + Eglot test of editors/emacs/rockcraft-lsp.el  -*- lexical-binding: t; -*-

;; Run by tests/editors/run.sh as:  emacs --batch -l eglot_test.el
;; Environment:
;;   RLSP_BIN        server binary
;;   RLSP_EDITORS    the repository's editors/ directory
;;   RLSP_PROJECT    the flask fixture (rockcraft.yaml + other.yaml)
;;   RLSP_OUT        result file: one "PASS|FAIL eglot/<check>: <detail>" line per check
;;   RLSP_PIDFILE    the server's pid is written here (Emacs starts it in its own session,
;;                   so run.sh stops it by pid if it outlives Emacs)
;;   RLSP_STDERR     server stderr
;;   RLSP_TIMEOUT_S  watchdog (default 60)
;;
;; The buffer goes through the user-facing path: auto-mode-alist -> rockcraft-yaml-mode ->
;; eglot-ensure -> Eglot's server table entry from rockcraft-lsp.el.  Batch Emacs has no
;; command loop and no idle time, so what normally runs from them is run by hand:
;; post-command-hook (eglot-ensure connects from there), Flymake's start and Eglot's
;; idle-time didChange flush.  Completion goes through Eglot's completion-at-point table,
;; the quick fix through the interactive `eglot-code-actions' with the menu answered;
;; formatting through `eglot-format-buffer', rename through `eglot-rename', and go to
;; definition through `xref-find-definitions'.

(require 'cl-lib)
(require 'subr-x)

(defvar rt-lines nil)
(defvar rt-failed nil)
(defvar rt-buffer nil)
(defvar rt-server nil)

(defun rt-record (ok name detail)
  (unless ok (setq rt-failed t))
  (push (replace-regexp-in-string
         "\n" " " (format "%s eglot/%s: %s" (if ok "PASS" "FAIL") name detail))
        rt-lines))

(defun rt-write ()
  (let ((coding-system-for-write 'utf-8))
    (with-temp-file (getenv "RLSP_OUT")
      (insert (mapconcat #'identity (reverse rt-lines) "\n") "\n"))))

(defun rt-wait (pred timeout)
  "Pump process output and timers until PRED returns non-nil or TIMEOUT seconds pass."
  (let ((deadline (+ (float-time) timeout)) res)
    (while (and (not (setq res (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    res))

(defun rt-find (needle &optional offset)
  "Buffer position of NEEDLE's first occurrence plus OFFSET (default: its end)."
  (save-excursion
    (goto-char (point-min))
    (when (search-forward needle nil t)
      (+ (match-beginning 0) (or offset (length needle))))))

(defun rt-line-col (pos)
  (save-excursion (goto-char pos) (format "%d:%d" (line-number-at-pos) (1+ (current-column)))))

(defun rt-flush-changes ()
  "Send Eglot's pending didChange now and (re)start Flymake, as idle time would."
  (when (and (boundp 'eglot--change-idle-timer) (timerp eglot--change-idle-timer))
    (cancel-timer eglot--change-idle-timer)
    (setq eglot--change-idle-timer nil))
  (eglot--signal-textDocument/didChange)
  (flymake-start))

(defun rt-prime-diags ()
  (cl-remove-if-not
   (lambda (d)
     (equal (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d))) :code)
            "prime-prefix"))
   (flymake-diagnostics)))

(cl-defun rt-main ()
  (let* ((bin (getenv "RLSP_BIN"))
         (project (file-name-as-directory (getenv "RLSP_PROJECT")))
         (wrapper (format "echo $$ > %s; exec %s 2>>%s"
                          (shell-quote-argument (getenv "RLSP_PIDFILE"))
                          (shell-quote-argument bin)
                          (shell-quote-argument (getenv "RLSP_STDERR")))))
    ;; the user-facing setup, with only the server command overridden
    (add-to-list 'load-path (expand-file-name "emacs" (getenv "RLSP_EDITORS")))
    (require 'rockcraft-lsp)
    (setq rockcraft-lsp-server-command (list "sh" "-c" wrapper))
    (require 'eglot)
    (require 'flymake)
    (let ((entry (cl-find-if (lambda (e) (eq (cdr e) 'rockcraft-lsp--eglot-contact))
                             eglot-server-programs)))
      (rt-record (and entry (eq (cdr (assoc "/x/rockcraft.yaml" auto-mode-alist #'string-match-p))
                                'rockcraft-yaml-mode))
                 "config"
                 (format "rockcraft-lsp.el loaded: eglot-server-programs has %S, parent mode %s"
                         (car entry) (get 'rockcraft-yaml-mode 'derived-mode-parent))))

    ;; (0) another YAML file must not get the server
    (let ((other (find-file-noselect (concat project "other.yaml"))))
      (with-current-buffer other
        (run-hooks 'post-command-hook)
        (rt-wait (lambda () nil) 1.0)
        (rt-record (and (not (derived-mode-p 'rockcraft-yaml-mode)) (null (eglot-current-server)))
                   "not-attached-to-other-yaml"
                   (format "mode=%s server=%s" major-mode (eglot-current-server)))))

    (setq rt-buffer (find-file-noselect (concat project "rockcraft.yaml")))
    (set-buffer rt-buffer)
    ;; eglot-ensure (from rockcraft-yaml-mode-hook) connects on the next post-command-hook
    (run-hooks 'post-command-hook)
    (setq rt-server (rt-wait #'eglot-current-server 15))
    (unless rt-server
      (rt-record nil "attach" (format "no Eglot server for rockcraft.yaml (mode %s)" major-mode))
      (cl-return-from rt-main))
    (rt-record (eq major-mode 'rockcraft-yaml-mode) "attach"
               (format "mode %s, server %s %s, Eglot %s, Emacs %s" major-mode
                       (plist-get (eglot--server-info rt-server) :name)
                       (plist-get (eglot--server-info rt-server) :version)
                       (or (ignore-errors (require 'lisp-mnt)
                                          (with-temp-buffer
                                            (insert-file-contents (locate-library "eglot.el"))
                                            (lm-version)))
                           "?")
                       emacs-version))

    ;; (a) diagnostic on the prime entry, as Flymake shows it
    (rt-flush-changes)
    (rt-wait #'rt-prime-diags 15)
    (let* ((d (car (rt-prime-diags)))
           (want (rt-find "- app.py" 2)))
      (rt-record (and d (= (flymake-diagnostic-beg d) want)) "diagnostic"
                 (if d (format "prime-prefix at %s (%s)" (rt-line-col (flymake-diagnostic-beg d))
                               (substring (flymake-diagnostic-text d) 0
                                          (min 60 (length (flymake-diagnostic-text d)))))
                   (format "no prime-prefix diagnostic; Flymake has %d" (length (flymake-diagnostics))))))

    ;; (b) completion in extensions:, through Eglot's completion-at-point table
    (goto-char (rt-find "  - flask"))
    (let* ((capf (eglot-completion-at-point))
           (beg (nth 0 capf)) (table (nth 2 capf))
           (prefix (and capf (buffer-substring-no-properties beg (point))))
           (offered (and table (all-completions prefix table)))   ; what the UI offers here
           (all (and table (all-completions "" table)))           ; everything Eglot got
           ;; What the base offers without the experimental opt-in: spring-boot-framework is
           ;; experimental on ubuntu@24.04, so it must not be suggested.
           (frameworks '("django-framework" "expressjs-framework" "fastapi-framework"
                         "flask-framework" "go-framework"))
           (has (lambda (cands name)
                  (cl-some (lambda (c) (string-match-p (regexp-quote name) c)) cands)))
           (missing (append (cl-remove-if (lambda (f) (funcall has all f)) frameworks)
                            (and (funcall has all "spring-boot-framework")
                                 '("no spring-boot-framework (experimental)")))))
      (rt-record (and (null missing) (funcall has offered "flask-framework")) "completion"
                 (format "at prefix %S offers %s; all items: %s%s" prefix
                         (mapconcat #'substring-no-properties offered ", ")
                         (mapconcat #'substring-no-properties all ", ")
                         (if missing (format "; missing %s" missing) ""))))

    ;; (c) the quick fix, through Eglot's interactive code-action path
    (let* ((pos (rt-find "- app.py" 2))
           (actions (eglot-code-actions pos pos))
           (titles (mapcar (lambda (a) (plist-get a :title)) actions))
           (chosen (cl-find-if (lambda (a) (and (equal (plist-get a :kind) "quickfix")
                                                (string-match-p "flask/app/" (plist-get a :title))))
                               actions))
           (tick (buffer-chars-modified-tick)))
      (goto-char pos)
      (when chosen
        (cl-letf (((symbol-function 'completing-read)
                   (lambda (&rest _) (plist-get chosen :title))))
          (let ((last-nonmenu-event 13))
            (eglot-code-actions pos pos nil t)))
        (rt-wait (lambda () (/= tick (buffer-chars-modified-tick))) 3))
      (let* ((line (save-excursion (goto-char pos)
                                   (string-trim (buffer-substring-no-properties
                                                 (line-beginning-position) (line-end-position)))))
             (cleared (progn (rt-flush-changes)
                             (rt-wait (lambda () (null (rt-prime-diags))) 10)
                             (null (rt-prime-diags)))))
        (rt-record (and chosen (equal line "- flask/app/app.py") cleared) "quickfix"
                   (format "line now %S, prime-prefix cleared=%s (actions: %s)" line
                           (if cleared "true" "false") (string-join titles " | ")))))

    ;; (d) hover on the flask service: poll until the background expansion is in
    (goto-char (rt-find "  flask:" 3))
    (let ((deadline (+ (float-time) 20)) md gline)
      (while (and (not gline) (< (float-time) deadline))
        (let* ((result (jsonrpc-request rt-server :textDocument/hover
                                        (eglot--TextDocumentPositionParams)))
               (contents (plist-get result :contents)))
          (setq md (if contents (substring-no-properties (eglot--hover-info contents)) ""))
          (setq gline (and (string-match "^.*gunicorn.*$" md) (match-string 0 md)))
          (unless gline (rt-wait (lambda () nil) 0.25))))
      (rt-record gline "hover"
                 (if gline (string-trim (substring gline 0 (min 100 (length gline))))
                   (format "no gunicorn in: %s" (substring md 0 (min 200 (length md)))))))

    ;; (e) "Show the expanded project" on the extensions item: this Eglot does not open
    ;; documents for the server, so rockcraft-lsp.el shows the command's result in a buffer
    (let* ((pos (rt-find "  - flask"))
           (actions (eglot-code-actions pos pos))
           (titles (mapcar (lambda (a) (plist-get a :title)) actions))
           (chosen (cl-find-if (lambda (a) (string-prefix-p "Show the expanded project"
                                                            (plist-get a :title)))
                               actions)))
      (goto-char pos)
      (when chosen
        (cl-letf (((symbol-function 'completing-read)
                   (lambda (&rest _) (plist-get chosen :title))))
          (let ((last-nonmenu-event 13))
            (eglot-code-actions pos pos nil t))))
      (let* ((shown (cl-find-if (lambda (b) (string-prefix-p "*rockcraft expanded: "
                                                             (buffer-name b)))
                                (buffer-list)))
             (text (if shown (with-current-buffer shown (buffer-string)) ""))
             (gline (and (string-match "^.*gunicorn.*$" text) (match-string 0 text))))
        (rt-record (and chosen shown gline (buffer-local-value 'buffer-read-only shown))
                   "show-expanded"
                   (if shown (format "%s: %s" (buffer-name shown) (string-trim (or gline "no gunicorn")))
                     (format "no expanded buffer (actions: %s)" (string-join titles " | "))))))

    ;; (f) "Add Debian packages": Eglot 1.9 neither takes snippet edits nor shows documents,
    ;; so the action carries its plain edit, an empty list to fill (no placeholder name).
    (let* ((pos (point-min))
           (actions (eglot-code-actions pos pos))
           (adds (cl-remove-if-not (lambda (a) (string-prefix-p "Add " (plist-get a :title)))
                                   actions))
           (want "Add Debian packages to flask-framework/dependencies")
           (tick (buffer-chars-modified-tick)))
      (when (= (length adds) 1)
        (cl-letf (((symbol-function 'completing-read) (lambda (&rest _) want)))
          (let ((last-nonmenu-event 13))
            (eglot-code-actions pos pos nil t)))
        (rt-wait (lambda () (/= tick (buffer-chars-modified-tick))) 3))
      (let ((added (save-excursion
                     (goto-char (point-min))
                     (search-forward "  flask-framework/dependencies:\n    stage-packages: []\n" nil t))))
        (rt-record (and (= (length adds) 1) added) "add-packages"
                   (format "offered %s; empty list added=%s"
                           (mapconcat (lambda (a) (plist-get a :title)) adds " | ")
                           (if added "true" "false")))))

    ;; (g) formatting: the spacing disturbed on one line comes back through
    ;; `eglot-format-buffer', and nothing else moves.
    (let* ((start (rt-find "summary: " 0))
           (want (and start (save-excursion
                              (goto-char start)
                              (buffer-substring (line-beginning-position) (line-end-position)))))
           (lines 0)
           (got ""))
      (when start
        (save-excursion
          (goto-char start)
          (delete-region (line-beginning-position) (line-end-position))
          (insert (concat (replace-regexp-in-string "\\`summary: " "summary:     " want) "   ")))
        (setq lines (count-lines (point-min) (point-max)))
        (rt-flush-changes)
        (eglot-format-buffer)
        (setq got (save-excursion
                    (goto-char (rt-find "summary:" 0))
                    (buffer-substring (line-beginning-position) (line-end-position)))))
      (rt-record (and start (equal got want) (= lines (count-lines (point-min) (point-max))))
                 "format" (format "summary line after formatting: %S" got)))

    ;; (h) rename through `eglot-rename': the override of a generated service is refused with
    ;; the reason, and the buffer is left as it was.
    (let* ((pos (rt-find "  flask:" 3))
           (before (buffer-string))
           (message nil))
      (goto-char pos)
      (condition-case err
          (eglot-rename "web")
        (error (setq message (error-message-string err))))
      (rt-record (and message (string-match-p "generates" message) (equal before (buffer-string)))
                 "rename-refused" (format "%s" (or message "renamed without a word"))))

    ;; (i) go to definition through xref: the overridden service is defined in the expanded
    ;; project, which opens at its entry.
    (goto-char (rt-find "  flask:" 3))
    (let ((xref-prompt-for-identifier nil)
          (origin (current-buffer)))
      (ignore-errors (call-interactively #'xref-find-definitions))
      (rt-wait (lambda () (not (eq (current-buffer) origin))) 10)
      (let ((line (buffer-substring-no-properties (line-beginning-position) (line-end-position)))
            (file (or (buffer-file-name) (buffer-name))))
        (rt-record (and (string-suffix-p "rockcraft.expanded.yaml" file)
                        (equal (string-trim line) "flask:"))
                   "definition" (format "%s, line %S" file line))
        (switch-to-buffer origin)))

    (ignore-errors (eglot-shutdown rt-server))))

(run-at-time (string-to-number (or (getenv "RLSP_TIMEOUT_S") "60")) nil
             (lambda ()
               (rt-record nil "watchdog" "no result within the time limit")
               (rt-write)
               (kill-emacs 124)))
(condition-case err
    (rt-main)
  (error (rt-record nil "driver" (format "%S" err))))
(rt-write)
(kill-emacs (if rt-failed 1 0))

;;; eglot_test.el ends here
