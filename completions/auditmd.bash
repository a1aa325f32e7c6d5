# bash completion for auditmd                              -*- shell-script -*-
#
# Installed as DATADIR/bash-completion/completions/auditmd, where the
# bash-completion package loads it on first use; or source it by hand.
# Completes the commands, each command's options, the values of --format,
# --fail-on, --as-of, --closed-drift, --threads and --link-style, directories for --repo, --template-dir
# and --partials, and file names everywhere else. REV:PATH arguments get
# file names after the colon (bash splits the word there).

# _auditmd_words WORDS: reply with the words that start with $cur.
_auditmd_words()
{
	mapfile -t COMPREPLY < <(compgen -W "$1" -- "$cur")
}

# _auditmd_list WORDS: complete the last item of a comma-separated list.
_auditmd_list()
{
	local prefix="" item=$cur
	if [[ $cur == *,* ]]; then
		prefix=${cur%,*},
		item=${cur##*,}
	fi
	mapfile -t COMPREPLY < <(compgen -P "$prefix" -W "$1" -- "$item")
	compopt -o nospace 2>/dev/null
}

# _auditmd_files [-d]: file names (directories only with -d).
_auditmd_files()
{
	mapfile -t COMPREPLY < <(compgen "${1:--f}" -- "$cur")
	compopt -o filenames 2>/dev/null
}

_auditmd()
{
	local cur prev cmd opts formats failon i
	local commands='compile diff verify check fix lint log render site'
	local render_opts='--template --template-dir --link-base --link-style'
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=""
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# --option=value: bash splits the word at '='.
	if [[ $cur == = ]]; then
		cur=""
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi

	if ((COMP_CWORD == 1)); then
		if [[ $cur == -* ]]; then
			_auditmd_words '--help --version'
		else
			_auditmd_words "$commands"
		fi
		return 0
	fi

	cmd=${COMP_WORDS[1]}
	failon=""
	case $cmd in
	compile)
		opts="-f --format -o --output --repo --pretty --config --max-size -q --quiet --threads $render_opts -h --help"
		formats='json text md html' ;;
	diff)
		opts="-f --format --fail-on --repo -o --output --pretty --all --threshold --config --max-size -q --quiet $render_opts -h --help"
		formats='text json md html'
		failon='new removed resolved regressed open closed none' ;;
	verify)
		opts="--repo --rev --worktree --as-of -f --format --fail-on --closed-drift --baseline --write-baseline --mentions --no-resolution -v --verbose -o --output --pretty --config --max-size --max-blob-size --threads -q --quiet $render_opts -h --help"
		formats='text json sarif github codeclimate md html'
		failon='ok moved renamed changed deleted missing out_of_range not_text outside_repo ambiguous symlink not_file too_large malformed symbol_missing unconfirmed none' ;;
	check)
		opts="--base --head --worktree --repo -f --format --fail-on --baseline --write-baseline -o --output --pretty --config --max-size --max-blob-size --threads $render_opts -h --help"
		formats='json text sarif github md codeclimate'
		failon='broken touched unconfirmed regressed resolved new removed open closed none' ;;
	fix)
		opts='--repo --as-of --dry-run -o --output --config --max-size --max-blob-size -q --quiet -h --help'
		formats="" ;;
	log)
		opts="--repo --since --until -f --format $render_opts -o --output --pretty --config --max-size -h --help"
		formats='md text html json jsonl' ;;
	render)
		opts='-d --data -p --partials -o --output -h --help'
		formats="" ;;
	site)
		opts='--repo --rev -o --output --template-dir --link-base --link-style --config --max-size --threads -h --help'
		formats="" ;;
	lint)
		opts='--repo --rev --worktree --as-of -f --format --fail-on --baseline --write-baseline -o --output --pretty --config --max-size -q --quiet -h --help'
		formats='text json sarif github codeclimate'
		failon='error warning none' ;;
	*)
		return 0 ;;
	esac

	case $prev in
	-f | --format)
		_auditmd_words "$formats"
		return 0 ;;
	--fail-on)
		_auditmd_list "$failon"
		return 0 ;;
	--as-of)
		_auditmd_words 'auto none'
		return 0 ;;
	--link-style)
		_auditmd_words 'github gitlab bitbucket gitea'
		return 0 ;;
	--closed-drift)
		_auditmd_words 'note check'
		return 0 ;;
	--threads)
		if [[ $cmd == verify || $cmd == check ]]; then _auditmd_words '1 2 auto'; else _auditmd_words '1 auto'; fi
		return 0 ;;
	--repo | --template-dir | -p | --partials)
		_auditmd_files -d
		return 0 ;;
	-o | --output)
		if [[ $cmd == site ]]; then _auditmd_files -d; else _auditmd_files; fi
		return 0 ;;
	--config | --template | -d | --data | --baseline | --write-baseline)
		_auditmd_files
		return 0 ;;
	--rev | --base | --head | --since | --until | --threshold | --max-size | --max-blob-size | --link-base)
		return 0 ;;
	esac

	# After '--' every word is an argument.
	for ((i = 2; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i]} == -- ]]; then
			_auditmd_files
			return 0
		fi
	done
	if [[ $cur == -* ]]; then
		_auditmd_words "$opts"
	else
		_auditmd_files
	fi
	return 0
} &&
	complete -F _auditmd auditmd

# ex: filetype=sh
